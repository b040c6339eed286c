"""Content Search 1.0 and 2.0 inside one item, with a real OpenCC-based normaliser."""

from __future__ import annotations

import unicodedata

import opencc
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from iiif import BadRequest
from iiif.content_search import (
    SearchableItem,
    autocomplete_v1,
    autocomplete_v2,
    find_hits,
    search_v1,
    search_v2,
)
from iiif.presentation import ItemView, PageView, TextLine, build_manifest
from iiif.search_router import content_search_router, search_services

ITEM = "https://qiaopi.example/iiif/items/QP-7"
SEARCH1 = f"{ITEM}/search/1"
SEARCH2 = f"{ITEM}/search/2"
_T2S = opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """NFKC, traditional to simplified, case folded: the shape of search/'s normaliser."""
    return str(_T2S.convert(unicodedata.normalize("NFKC", text))).casefold()


def letter() -> ItemView:
    """Page 1 has vertical lines; page 2 a horizontal English line."""
    return ItemView(
        ITEM,
        {"en": ["Letter"]},
        [
            PageView(
                f"{ITEM}/img/1",
                1000,
                2000,
                {"en": ["1"]},
                lines=[
                    TextLine("父親大人膝下敬稟者", 800, 100, 100, 900),
                    TextLine("兒在金山平安寄銀回臺山", 600, 100, 100, 1100),
                ],
            ),
            PageView(
                f"{ITEM}/img/2",
                2000,
                1000,
                {"en": ["2"]},
                lines=[TextLine("Toishan via San Francisco, Taishan", 100, 500, 1700, 60, "en")],
            ),
        ],
    )


ITEM_TEXT = SearchableItem.from_view(letter())


def test_simplified_query_finds_traditional_text_on_the_right_canvas() -> None:
    (hit,) = find_hits(ITEM_TEXT, "台山", normalise)
    assert hit.match == "臺山"
    assert hit.canvas_id == f"{ITEM}/canvas/p1"
    assert (hit.before, hit.after) == ("兒在金山平安寄銀回", "")
    # Characters 9-10 of 11 on a vertical 1100-px line starting at y=100.
    assert hit.xywh == (600, 1000, 100, 200)
    assert hit.target == f"{ITEM}/canvas/p1#xywh=600,1000,100,200"


def test_canvas_ids_match_the_manifest() -> None:
    manifest = build_manifest(letter())
    canvases = {canvas["id"] for canvas in manifest["items"]}
    assert {hit.canvas_id for hit in find_hits(ITEM_TEXT, "山 taishan", normalise)} <= canvases


def test_horizontal_boxes_and_case_folding() -> None:
    hits = find_hits(ITEM_TEXT, "TAISHAN", normalise)
    assert [h.match for h in hits] == ["Taishan"]
    x, y, w, h = hits[0].xywh
    assert (y, h) == (500, 60)
    assert x == 100 + 1700 * 27 // 34 and w > 0


def test_search_v1_answer_for_mirador() -> None:
    answer = search_v1(ITEM_TEXT, "山 shan", normalise, service_url=SEARCH1)
    assert answer["@type"] == "sc:AnnotationList"
    assert answer["within"]["total"] == 4
    assert [r["on"].split("#")[0] for r in answer["resources"]] == [f"{ITEM}/canvas/p1"] * 2 + [
        f"{ITEM}/canvas/p2"
    ] * 2
    first_hit = answer["hits"][0]
    assert first_hit["annotations"] == [answer["resources"][0]["@id"]]
    assert (first_hit["before"], first_hit["match"], first_hit["after"]) == (
        "兒在金",
        "山",
        "平安寄銀回臺山",
    )
    assert "next" not in answer


def test_paging_in_both_versions() -> None:
    first = search_v1(ITEM_TEXT, "山 shan", normalise, service_url=SEARCH1, page_size=3)
    assert len(first["hits"]) == 3
    assert first["next"] == f"{SEARCH1}?q=%E5%B1%B1+shan&page=1"
    second = search_v2(ITEM_TEXT, "山 shan", normalise, service_url=SEARCH2, page=1, page_size=3)
    assert len(second["items"]) == 1
    assert second["startIndex"] == 3
    assert second["prev"]["id"] == f"{SEARCH2}?q=%E5%B1%B1+shan&page=0"
    assert "next" not in second
    with pytest.raises(BadRequest, match="past the last page"):
        search_v2(ITEM_TEXT, "山 shan", normalise, service_url=SEARCH2, page=2, page_size=3)


def test_search_v2_answer_for_clover() -> None:
    answer = search_v2(ITEM_TEXT, "臺山", normalise, service_url=SEARCH2)
    assert answer["@context"] == "http://iiif.io/api/search/2/context.json"
    assert answer["partOf"]["total"] == 1
    (item,) = answer["items"]
    assert item["target"]["source"]["id"] == f"{ITEM}/canvas/p1"
    assert item["target"]["source"]["partOf"] == [{"id": f"{ITEM}/manifest", "type": "Manifest"}]
    assert item["target"]["selector"][0]["value"] == "xywh=600,1000,100,200"
    (context,) = answer["annotations"][0]["items"]
    assert context["motivation"] == "contextualizing"
    assert context["target"]["source"] == item["id"]
    assert context["target"]["selector"][0]["exact"] == "臺山"


def test_no_hits_is_an_empty_answer_not_an_error() -> None:
    answer = search_v2(ITEM_TEXT, "香港", normalise, service_url=SEARCH2)
    assert answer["items"] == [] and answer["partOf"]["total"] == 0
    assert "annotations" not in answer


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_queries_are_refused(query: str) -> None:
    with pytest.raises(BadRequest, match="empty"):
        search_v1(ITEM_TEXT, query, normalise, service_url=SEARCH1)


def test_autocomplete_in_both_versions() -> None:
    v1 = autocomplete_v1(ITEM_TEXT, "金", normalise, service_url=f"{ITEM}/ac/1", search_url=SEARCH1)
    assert v1["terms"] == [
        {"match": "金山平", "url": f"{SEARCH1}?q=%E9%87%91%E5%B1%B1%E5%B9%B3", "count": 1}
    ]
    v2 = autocomplete_v2(ITEM_TEXT, "tai", normalise, service_url=f"{ITEM}/ac/2")
    assert v2["type"] == "TermPage"
    assert v2["items"] == [{"value": "Taishan", "total": 1}]
    assert autocomplete_v2(ITEM_TEXT, "台", normalise, service_url="x")["items"] == [
        {"value": "臺山", "total": 1}
    ]


def search_client() -> TestClient:
    """An app with the search router mounted where item bases live."""
    app = FastAPI()
    known = {"QP-7": ITEM_TEXT}
    app.include_router(content_search_router(known.get, normalise), prefix="/iiif/items")
    return TestClient(app, base_url="https://qiaopi.example")


def test_search_router_serves_both_versions_at_the_advertised_urls() -> None:
    client = search_client()
    services = search_services(ITEM)
    v1 = client.get(services.search1, params={"q": "台山"})
    assert v1.status_code == 200
    assert v1.headers["access-control-allow-origin"] == "*"
    assert v1.json()["@id"] == f"{SEARCH1}?q=%E5%8F%B0%E5%B1%B1&page=0"
    assert v1.json()["hits"][0]["match"] == "臺山"
    v2 = client.get(services.search2, params={"q": "台山"}).json()
    assert v2["partOf"]["total"] == 1
    terms = client.get(services.autocomplete1, params={"q": "金"}).json()["terms"]
    assert terms[0]["url"].startswith(SEARCH1)
    assert client.get(services.autocomplete2, params={"q": "tai"}).json()["items"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/iiif/items/QP-404/search/1?q=山", 404),
        ("/iiif/items/QP-7/search/2?q=", 400),
        ("/iiif/items/QP-7/search/1?q=山&page=9", 400),
        ("/iiif/items/%2E%2E/search/1?q=山", 400),
        ("/iiif/items/QP-7/autocomplete/2", 400),
    ],
)
def test_search_router_bad_requests(path: str, status: int) -> None:
    response = search_client().get(path)
    assert response.status_code == status
    assert response.text.strip()
