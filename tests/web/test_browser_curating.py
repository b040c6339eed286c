"""In a real browser: a curator builds an exhibit around a letter, publishes it, and an
anonymous visitor then reads it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from archive.catalogue.models import Exhibit, Item
from archive.context import Archive
from tests.web.browser import screenshot
from tests.web.conftest import CURATOR, PASSWORD, TAISHAN_ITEM

pytestmark = pytest.mark.slow
SLUG = "t-browser-gold-mountain"


@pytest.fixture
def no_test_exhibit(web_archive: Archive) -> Iterator[None]:
    """Take the exhibit this test builds out of the shared archive afterwards."""
    yield
    with web_archive.catalogue.session() as session:
        for exhibit in session.scalars(select(Exhibit).where(Exhibit.slug == SLUG)):
            session.delete(exhibit)


@pytest.mark.usefixtures("no_test_exhibit")
def test_curator_builds_and_publishes_an_exhibit_a_visitor_then_reads(
    browser: Browser, page: Page, live_url: str, web_archive: Archive
) -> None:
    with web_archive.catalogue.reader() as session:
        item = session.scalars(select(Item).where(Item.identifier == TAISHAN_ITEM)).one()
        region = f"0,0,{item.pages[0].width // 2},{item.pages[0].height // 3}"

    page.goto(f"{live_url}/curator")
    page.get_by_label("用戶名").fill(CURATOR)
    page.get_by_label("密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.get_by_role("link", name="專藏", exact=True).click()
    expect(page.locator("h1")).to_have_text("專藏")
    page.goto(f"{live_url}/curator/collections/xinhui-letters")
    expect(page.locator(".curating-picker li").first).to_be_visible()
    screenshot(page, "curator-collection")
    page.goto(f"{live_url}/curator")
    page.get_by_role("link", name="展覽", exact=True).click()
    expect(page.locator("h1")).to_have_text("展覽")
    page.locator("#f-title_zh_hant").fill("金山來信")
    page.locator("#f-title_en").fill("Letters from Gold Mountain")
    page.locator("#f-summary_zh_hant").fill("從金山寄回臺山的書信。")
    page.locator("#f-slug").fill(SLUG)
    page.get_by_role("button", name="建立展覽").click()
    expect(page.locator("h1")).to_have_text("金山來信")
    expect(page.locator("#publish-heading .badge")).to_have_text("草稿")

    page.locator("#f-new-heading_zh_hant").fill("信封")
    page.locator("#f-new-body_zh_hant").fill("收信人的名字寫在中間的紅框裡。")
    page.locator("#f-new-item").fill(TAISHAN_ITEM)
    page.locator("#f-new-region").fill(region)
    page.locator("#new-section").get_by_role("button", name="加入段落").click()
    expect(page.get_by_role("status")).to_have_text("已儲存。")
    preview = page.locator(".curating-preview img").first
    expect(preview).to_be_visible()
    assert f"/{region}/" in (preview.get_attribute("src") or "")
    page.get_by_role("button", name="發佈", exact=True).click()
    expect(page.locator("#publish-heading .badge")).to_have_text("已發佈")
    screenshot(page, "curator-exhibit")

    visitor = browser.new_context(locale="zh-TW").new_page()
    visitor.goto(f"{live_url}/")
    visitor.locator(f'a[href="/exhibits/{SLUG}"]').click()
    expect(visitor.locator("h1")).to_have_text("金山來信")
    expect(visitor.locator(".exhibit-section h2")).to_have_text("信封")
    image = visitor.locator(".exhibit-section img")
    expect(image).to_be_visible()
    assert f"/iiif/3/{TAISHAN_ITEM}-p1/{region}/" in (image.get_attribute("src") or "")
    visitor.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    screenshot(visitor, "exhibit-published-by-curator")
    visitor.context.close()
