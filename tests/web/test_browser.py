"""In a real browser: the viewer shows tiles, search across scripts, the language switcher,
and a curator's correction and publishing reaching visitors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from archive.context import Archive
from archive.jobs.worker import run_until_empty
from tests.web.browser import screenshot
from tests.web.conftest import CURATOR, DRAFT_ITEM, EXHIBIT, PASSWORD, TAISHAN_ITEM

pytestmark = pytest.mark.slow
TILE = re.compile(r"/iiif/3/[^/]+/\d+,\d+,\d+,\d+/[^/]+/0/default\.jpg$")
OPEN_VIEWER = "開啟可縮放檢視器"
BUNDLE = "/static/vendor/mirador.min.js"


def _is_tile(response: Response) -> bool:
    return bool(TILE.search(response.url)) and response.ok


def test_visitor_opens_an_exhibit_then_an_item_and_sees_tiles(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/")
    screenshot(page, "home")
    page.locator(f'a[href="/exhibits/{EXHIBIT}"]').click()
    expect(page.locator(".exhibit-section img").first).to_be_visible()
    screenshot(page, "exhibit")
    page.locator(".exhibit-section figcaption a").first.click()
    still = page.locator("#viewer .viewer-still")
    expect(still).to_be_visible()
    expect(page.locator(".transcription.vertical").first).to_be_visible()
    page.wait_for_function("document.querySelector('#viewer .viewer-still').complete")
    assert still.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "item")
    with page.expect_response(_is_tile, timeout=30_000) as tile:
        page.get_by_role("button", name=OPEN_VIEWER).click()
    assert tile.value.headers["content-type"] == "image/jpeg"
    expect(page.locator("#viewer canvas").first).to_be_visible()
    page.wait_for_timeout(1_000)
    screenshot(page, "item-viewer")


def test_item_page_shows_the_page_first_and_opens_mirador_from_the_keyboard(
    page: Page, live_url: str
) -> None:
    bundles: list[str] = []
    page.on("request", lambda r: bundles.append(r.url) if r.url.endswith(BUNDLE) else None)
    page.goto(f"{live_url}/items/{TAISHAN_ITEM}", wait_until="load")
    still = page.locator("#viewer .viewer-still")
    expect(still).to_have_attribute("alt", re.compile(r"司徒維光.*第 1 頁（共 \d+ 頁）"))
    expect(still).to_have_attribute("width", re.compile(r"^\d+$"))
    info = page.request.get(f"{live_url}/iiif/3/{TAISHAN_ITEM}-p1/info.json").json()
    listed = {f"{size['width']},{size['height']}" for size in info["sizes"]}
    webp = page.locator("#viewer source[type='image/webp']").get_attribute("srcset")
    sources = f"{still.get_attribute('srcset')}, {webp}"
    offered = re.findall(r"/full/(\d+,\d+)/0/default\.(?:jpg|webp) \d+w", sources)
    assert len(offered) >= 4 and set(offered) <= listed  # pre-cut sizes only
    page.wait_for_function("document.querySelector('#viewer .viewer-still').complete")
    assert still.evaluate("img => img.currentSrc").endswith(".webp")
    page.wait_for_timeout(500)
    assert bundles == [], "Mirador was fetched before the reader asked for it"

    button = page.get_by_role("button", name=OPEN_VIEWER)
    button.focus()
    with page.expect_response(_is_tile, timeout=30_000):
        page.keyboard.press("Enter")
    expect(page.locator("#viewer canvas").first).to_be_visible()
    expect(page.locator("#viewer")).to_be_focused()  # the reader's focus follows into Mirador
    expect(button).to_have_count(0)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#viewer-mirador') !== null")
    assert any(url.endswith(BUNDLE) for url in bundles)


def test_item_page_says_so_when_the_viewer_cannot_load(page: Page, live_url: str) -> None:
    page.route(f"**{BUNDLE}", lambda route: route.abort())  # the fault, injected on purpose
    page.goto(f"{live_url}/items/{TAISHAN_ITEM}")
    button = page.get_by_role("button", name=OPEN_VIEWER)
    button.click()
    expect(page.get_by_role("status")).to_have_text("無法載入檢視器，請重新載入頁面。")
    expect(button).to_be_enabled()
    expect(page.locator("#viewer .viewer-still")).to_be_visible()


def test_a_phone_gets_the_page_as_a_small_webp_sized_for_its_screen(
    browser: Browser, live_url: str
) -> None:
    context = browser.new_context(
        viewport={"width": 412, "height": 823},
        device_scale_factor=1.75,
        is_mobile=True,
        has_touch=True,
        locale="zh-TW",
    )
    phone = context.new_page()
    phone.goto(f"{live_url}/items/{TAISHAN_ITEM}")
    still = phone.locator("#viewer .viewer-still")
    phone.wait_for_function("document.querySelector('#viewer .viewer-still').complete")
    box = still.bounding_box()
    assert box is not None
    width, height = int(still.get_attribute("width") or 0), int(still.get_attribute("height") or 0)
    shown = min(box["width"], box["height"] * width / height) * 1.75  # device pixels
    chosen = still.evaluate("img => img.currentSrc")
    found = re.search(r"/full/(\d+),\d+/0/default\.webp$", chosen)
    assert found, chosen
    assert shown <= int(found[1]) < 2 * shown, (shown, chosen)  # sharp, and no bigger than that
    expect(phone.get_by_role("button", name=OPEN_VIEWER)).to_be_visible()
    screenshot(phone, "item-phone")
    context.close()


def test_timeline_map_and_kiosk_mode(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/timeline")
    expect(page.locator(".decade h2").first).to_contain_text("1930")
    screenshot(page, "timeline")
    page.get_by_role("link", name="地圖").click()
    expect(page.locator(".map svg .route").first).to_be_visible()
    expect(page.locator(".map svg .land")).to_have_count(2)  # the world and the Wuyi inset
    expect(page.locator(".map-inset svg .place").first).to_be_visible()
    screenshot(page, "map")
    page.goto(f"{live_url}/kiosk")
    expect(page.locator("body.kiosk")).to_be_visible()
    page.set_viewport_size({"width": 1080, "height": 1920})
    screenshot(page, "kiosk-home")


def test_scholar_searches_in_simplified_and_finds_traditional(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/search")
    page.get_by_role("searchbox").first.fill("台山")
    page.keyboard.press("Enter")
    expect(page.locator(".hit mark", has_text="臺山").first).to_be_visible()
    screenshot(page, "search")
    hit = page.locator(f'.hit a[href^="/items/{TAISHAN_ITEM}"]')
    with page.expect_response(
        lambda r: f"/iiif/items/{TAISHAN_ITEM}/search/1" in r.url and r.ok, timeout=30_000
    ) as found:
        hit.click()
    body = found.value.json()
    assert body["resources"], "the search inside the letter found nothing"
    assert all("#xywh=" in str(r["on"]) for r in body["resources"])
    page.wait_for_timeout(1_500)
    screenshot(page, "search-hit-in-viewer")


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("English", "Letters home across the ocean"),
        ("简体中文", "跨越重洋的家书"),
        ("繁體中文", "跨越重洋的家書"),
    ],
)
def test_language_switcher(page: Page, live_url: str, name: str, heading: str) -> None:
    page.goto(f"{live_url}/")
    page.get_by_role("navigation", name=re.compile("Language|语言|語言")).get_by_role(
        "link", name=name
    ).click()
    expect(page.locator("h1")).to_have_text(heading)
    screenshot(page, f"home-{name}")


@pytest.mark.usefixtures("keep_draft")
def test_curator_corrects_publishes_and_unpublishes(
    browser: Browser, page: Page, live_url: str, web_archive: Archive
) -> None:
    page.goto(f"{live_url}/curator")
    page.get_by_label("用戶名").fill(CURATOR)
    page.get_by_label("密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    expect(page.locator("h1")).to_have_text("編目")
    page.locator(f'a[href="/items/{DRAFT_ITEM}/edit"]').click()
    screenshot(page, "curator-edit")
    editor = page.locator(f"#t-{DRAFT_ITEM}-p1")
    editor.fill("檀香山寄回家書校訂本")
    page.locator(".editor").first.get_by_role("button", name="儲存轉錄").click()
    expect(page.get_by_role("status")).to_have_text("已儲存。")
    page.get_by_role("button", name="發佈", exact=True).click()
    expect(page.locator("#publish-heading .badge")).to_have_text("已發佈")
    run_until_empty(web_archive, kinds=["index"])

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_url}/items/{DRAFT_ITEM}")
    expect(visitor.locator(".transcription").first).to_have_text("檀香山寄回家書校訂本")
    visitor.goto(f"{live_url}/search?q=檀香山寄回家書校訂本")
    expect(visitor.locator(f'.hit a[href^="/items/{DRAFT_ITEM}"]')).to_be_visible()
    screenshot(visitor, "published-visible")

    page.get_by_role("button", name="取消發佈").click()
    expect(page.locator("#publish-heading .badge")).to_have_text("草稿")
    run_until_empty(web_archive, kinds=["index"])
    response = visitor.goto(f"{live_url}/items/{DRAFT_ITEM}")
    assert response is not None and response.status == 404
    visitor.goto(f"{live_url}/search?q=檀香山寄回家書校訂本")
    expect(visitor.locator(".hit")).to_have_count(0)
    visitor.context.close()
