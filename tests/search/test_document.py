"""The index document and the fields every backend indexes from it."""

from __future__ import annotations

import datetime

import pytest
from pydantic import ValidationError

from search import IndexDocument, PageText
from search.fields import index_fields, read_source
from search.highlight import folded_texts, text_layout
from search.normalise import BOUNDARY
from tests.search.corpus import CORPUS


def test_facet_values_are_derived_from_the_item() -> None:
    values = CORPUS[0].facet_values()
    assert values["year"] == ("1932",)
    assert values["decade"] == ("1930s",)
    assert values["has_transcription"] == ("true",)
    assert values["receiving_place"] == ("臺山",)
    assert values["collection"] == ("qiaopi",)


def test_pages_join_in_page_order() -> None:
    document = IndexDocument(
        id="x", pages=(PageText(page=2, text="寧縣"), PageText(page=1, text="新"))
    )
    assert document.transcription == "新\n寧縣"


def test_indexed_fields_are_folded_and_tokenised() -> None:
    fields = index_fields(CORPUS[0])
    assert "新宁 宁县" in fields["all_bi"]  # a phrase across the page break
    assert fields["k_receiving_place"] == ["台山"]
    assert fields["f_receiving_place"] == ["臺山"]
    assert fields["date_end"] == fields["date_start"] == datetime.date(1932, 3, 1)
    assert index_fields(IndexDocument(id="empty"))["title_bi"] == BOUNDARY


def test_han_names_are_indexed_with_their_romanised_readings() -> None:
    document = IndexDocument(id="x", sender="黃亞華", recipient="Mary Wong", remittance_house="")
    # A name with nothing to add is stored as "" so it is never looked up again.
    assert document.readings == {"黃亞華": "Wong A Wa; huang ya hua", "Mary Wong": ""}
    assert ("facet", "黃亞華 (Wong A Wa; huang ya hua)") in document.text_parts()
    assert ("facet", "Mary Wong") in document.text_parts()
    assert "黄亚 亚华 | wong a wa | huang ya hua" in index_fields(document)["all_bi"]


def test_places_the_gazetteer_knows_keep_its_spellings_only() -> None:
    document = IndexDocument(id="x", sending_place="舊金山", receiving_place="大江墟")
    assert document.readings == {"大江墟": "Tai Kong Hui; da jiang xu", "舊金山": ""}
    assert ("facet", "舊金山") in document.text_parts()


def test_stored_readings_are_used_as_stored() -> None:
    stored = IndexDocument(id="x", sender="黃亞華").model_dump_json()
    document = IndexDocument.model_validate_json(stored.replace("Wong A Wa", "Wong Ah Wah"))
    assert ("facet", "黃亞華 (Wong Ah Wah; huang ya hua)") in document.text_parts()


def test_a_changed_name_gets_its_own_reading() -> None:
    document = IndexDocument(id="x", sender="黃亞華").model_copy(update={"sender": "陳德"})
    assert ("facet", "陳德 (Chan Tak; chen de)") in document.text_parts()


@pytest.mark.parametrize(
    "bad",
    [
        {"id": ""},
        {"id": "a\x00b"},
        {"id": " padded"},
        {"id": "x", "date_start": "1932-02-01", "date_end": "1931-01-01"},
        {"id": "x", "pages": [{"page": 0, "text": "t"}]},
    ],
)
def test_invalid_documents_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        IndexDocument.model_validate(bad)


def test_the_stored_source_holds_the_document_its_folded_texts_and_their_layout() -> None:
    document = CORPUS[0]
    stored = index_fields(document)["source"]
    folded = folded_texts([text for _, text in document.text_parts()])
    assert "台山" in folded and "臺山" not in folded
    expected = (document, folded, text_layout(document))
    assert read_source(stored) == expected
    assert read_source([value.encode() for value in stored]) == expected


def test_a_source_stored_before_the_folded_texts_reads_as_the_document_alone() -> None:
    assert read_source([CORPUS[0].model_dump_json()]) == (CORPUS[0], None, None)
    assert read_source(index_fields(CORPUS[0])["source"][:2])[2] is None
