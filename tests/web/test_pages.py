"""Public pages: published items only, three languages, search with safe snippets, exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.catalogue.models import Collection
from archive.context import Archive
from archive.web import public
from archive.web.present import snippet
from tests.web.conftest import DRAFT_ITEM, EXHIBIT, TAISHAN_ITEM
from tests.web.helpers import HTML


def test_home_shows_published_items_and_collections_only(client: TestClient) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200
    assert "/items/qp-1930-0001" in page.text
    assert DRAFT_ITEM not in page.text
    assert "/collections/" in page.text
    assert "/iiif/3/qp-1930-0001-p1/full/!400,400/0/default.jpg" in page.text


def test_a_draft_item_is_not_found_by_visitors(client: TestClient) -> None:
    response = client.get(f"/items/{DRAFT_ITEM}", headers=HTML)
    assert response.status_code == 404
    assert "<html" in response.text and DRAFT_ITEM in response.text


def test_item_page_has_viewer_vertical_transcription_dates_and_citation(
    client: TestClient,
) -> None:
    client.get("/language/en")
    text = client.get(f"/items/{TAISHAN_ITEM}", headers=HTML).text
    assert f'data-manifest="http://testserver/iiif/items/{TAISHAN_ITEM}/manifest"' in text
    assert 'data-bundle="/static/vendor/mirador.min.js"' in text
    assert 'class="transcription vertical"' in text
    assert "民國廿一年九月廿五日 (September 25, 1932)" in text  # as written and Gregorian
    assert f"http://testserver/items/{TAISHAN_ITEM}</a>" in text  # permalink
    citation = "司徒維光. Letter from Seto Wai Kwong in San Francisco to his wife, 1932. "
    assert (
        citation + "民國廿一年九月廿五日. Qiaopi Archive. KP.1932.002. http://testserver/" in text
    )


@pytest.mark.parametrize(
    ("tag", "interface", "title"),
    [
        ("zh-Hant", "搜尋書信", "司徒維光自舊金山致妻子僑批"),
        ("zh-Hans", "搜索书信", "司徒维光自旧金山致妻子侨批"),
        ("en", "Search the letters", "Letter from Seto Wai Kwong in San Francisco"),
    ],
)
def test_language_switcher_changes_interface_and_metadata(
    client: TestClient, tag: str, interface: str, title: str
) -> None:
    switched = client.get(f"/language/{tag}?next=/search", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/search"
    assert interface in client.get("/search", headers=HTML).text
    item = client.get(f"/items/{TAISHAN_ITEM}", headers=HTML).text
    assert f'<html lang="{tag}">' in item
    assert title in item


def test_language_switch_never_redirects_off_site(client: TestClient) -> None:
    response = client.get("/language/en?next=//evil.example/x", follow_redirects=False)
    assert response.headers["location"] == "/"
    assert client.get("/language/fr").status_code == 404


def test_simplified_query_finds_traditional_letter(client: TestClient) -> None:
    text = client.get("/search", params={"q": "台山"}, headers=HTML).text
    assert f'href="/items/{TAISHAN_ITEM}?q=' in text
    assert "<mark>臺山</mark>" in text or "<mark>臺</mark>" in text
    assert 'name="receiving_place" value="臺山縣' in text  # facet with its count
    assert DRAFT_ITEM not in text


def test_snippets_keep_only_mark_tags() -> None:
    fragment = '<mark>臺山</mark><script>alert(1)</script><b onclick="x">b</b><mark x="1">'
    assert str(snippet(fragment)) == (
        "<mark>臺山</mark>&lt;script&gt;alert(1)&lt;/script&gt;"
        "&lt;b onclick=&#34;x&#34;&gt;b&lt;/b&gt;&lt;mark x=&#34;1&#34;&gt;"
    )


def test_search_paging_date_range_and_bad_dates(client: TestClient) -> None:
    client.get("/language/en")
    everything = client.get("/search", headers=HTML).text
    assert "5 results" in everything  # the published items, not the draft
    ranged = client.get(
        "/search", params={"date_from": "1931-01-01", "date_to": "1935-12-31"}, headers=HTML
    ).text
    assert "2 results" in ranged
    bad = client.get("/search", params={"date_from": "民國二十一年二月三十日"}, headers=HTML)
    assert bad.status_code == 400
    assert "1932-02 has 29 days" in bad.text  # the reason, from the date reader


def test_exports_as_csv_and_json(client: TestClient) -> None:
    rows = client.get("/search/export.json", params={"q": "台山"}).json()
    assert TAISHAN_ITEM in [row["id"] for row in rows]
    assert rows[0]["manifest"].endswith("/manifest")
    response = client.get("/search/export.csv", params={"q": "台山"})
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert client.get("/search/export.xml").status_code == 404


def test_search_pages_stop_at_the_result_window_and_say_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get("/language/en")
    assert "Pages go up to result" not in client.get("/search", headers=HTML).text
    monkeypatch.setattr(public, "MAX_RESULT_WINDOW", 2)  # 5 results, numbered pages to 2
    text = client.get("/search", headers=HTML).text
    assert "Pages go up to result 2: narrow the search, or export every result." in text
    assert "Page 1 of" not in text  # one page, not a next link to a page that answers 400


def test_exports_every_result_page_by_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = [row["id"] for row in client.get("/search/export.json").json()]
    assert len(everything) == 5  # the published items
    monkeypatch.setattr(public, "EXPORT_PAGE", 2)  # three searches, one cursor after another
    assert [row["id"] for row in client.get("/search/export.json").json()] == everything
    table = csv.DictReader(io.StringIO(client.get("/search/export.csv").text.lstrip("\ufeff")))
    assert [row["id"] for row in table] == everything
    bad = client.get("/search/export.csv", params={"date_from": "1935-01-01", "date_to": "1930"})
    assert bad.status_code == 400 and "before it starts" in bad.json()["detail"]


def test_collection_page_is_a_grid_of_thumbnails(client: TestClient, web_archive: Archive) -> None:
    with web_archive.catalogue.reader() as session:
        slugs = {c.title: c.slug for c in session.scalars(select(Collection))}
    text = client.get(f"/collections/{slugs['Xinhui Letters 新會僑批']}", headers=HTML).text
    assert '<ul class="grid">' in text
    assert "/iiif/3/qp-1930-0001-p1/full/!400,400/0/default.jpg" in text
    assert DRAFT_ITEM not in text  # a draft member stays hidden
    assert client.get("/collections/no-such", headers=HTML).status_code == 404


def test_exhibit_shows_sections_with_regions_and_hides_drafts(client: TestClient) -> None:
    client.get("/language/en")
    home = client.get("/", headers=HTML).text
    assert f'href="/exhibits/{EXHIBIT}"' in home
    text = client.get(f"/exhibits/{EXHIBIT}", headers=HTML).text
    assert "A letter home is worth ten thousand in gold" in text
    image = f"/iiif/3/{TAISHAN_ITEM}-p1/200,100,600,900/max/0/default.jpg"
    assert image in text
    assert client.get(image).headers["content-type"] == "image/jpeg"
    assert "This section&#39;s letter is a draft." in text  # the text stays ...
    assert f"/items/{DRAFT_ITEM}" not in text  # ... but the draft item is not shown
    assert client.get("/exhibits/nope", headers=HTML).status_code == 404


def test_timeline_groups_published_items_by_decade(client: TestClient) -> None:
    client.get("/language/en")
    text = client.get("/timeline", headers=HTML).text
    decades = [line.split('id="d')[1][:4] for line in text.splitlines() if 'class="decade"' in line]
    assert decades == ["1930", "1940"]
    assert DRAFT_ITEM not in text
    assert "1930s" in text


def test_kiosk_mode_adds_idle_return_and_can_be_left(client: TestClient) -> None:
    client.get("/kiosk")
    home = client.get("/", headers=HTML).text
    assert '<body class="kiosk" data-idle-seconds="120">' in home
    assert "/static/js/kiosk.js" in home
    assert "/curator/sign-in" not in home
    client.get("/kiosk?on=false")
    assert 'class="kiosk"' not in client.get("/", headers=HTML).text


def test_static_files_are_compressed_and_cacheable(client: TestClient) -> None:
    response = client.get("/static/css/site.css", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "public, max-age=86400"
    assert client.get("/static/../archive/settings.py").status_code == 404


def test_every_page_names_an_icon_that_is_served(client: TestClient) -> None:
    icon = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/", headers=HTML).text)
    assert icon is not None
    response = client.get(icon.group(1))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_map_draws_routes_from_the_gazetteer(client: TestClient) -> None:
    client.get("/language/en")
    text = client.get("/map", headers=HTML).text
    assert '<svg viewBox="0 0 1000 500" role="img"' in text
    assert "<td>San Francisco</td><td>Majianglong</td><td>1</td>" in text
    assert 'class="route"' in text
    assert "Honolulu" not in text  # the Honolulu letter is a draft


def test_romanised_query_finds_the_taishan_letter(client: TestClient) -> None:
    text = client.get("/search", params={"q": "Toishan"}, headers=HTML).text
    assert f'href="/items/{TAISHAN_ITEM}?q=Toishan' in text
