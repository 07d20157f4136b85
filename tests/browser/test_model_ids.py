"""Issue 22, points 6 and 15 in Chromium, at 1280 and 390 px (and 900): Replace shows the
suggestion's name and price beside the current model's, and a model id never breaks inside
itself (`dn/claude-opus-4-` / `6`): not in the Platform models table, not in Replace's
suggestion, not in an org's model checklists or its audit log. An id that fits a phone's
line stays on one line; a longer one breaks only between its parts (after a `/`, after
Bedrock's region and vendor).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services
from accounts.models import User
from catalog import caching
from catalog.models import CatalogModel
from catalog.templatetags.catalog_tags import prices
from tests.browser.helpers import WIDTHS, force_login, screenshot, settled

pytestmark = pytest.mark.browser

# How many lines an element's text takes: its rendered boxes' height over one box's.
LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const boxes = [...range.getClientRects()].filter(b => b.width > 0 && b.height > 0);
  const top = Math.min(...boxes.map(b => b.top)), bottom = Math.max(...boxes.map(b => b.bottom));
  return Math.round((bottom - top) / Math.max(...boxes.map(b => b.height)));
}"""
# How many lines a piece of an element's text takes (within one text node).
TEXT_LINES = """(el, text) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const at = walker.currentNode.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(walker.currentNode, at);
    range.setEnd(walker.currentNode, at + text.length);
    const boxes = [...range.getClientRects()].filter(b => b.width > 0 && b.height > 0);
    const top = Math.min(...boxes.map(b => b.top));
    const bottom = Math.max(...boxes.map(b => b.bottom));
    return Math.round((bottom - top) / Math.max(...boxes.map(b => b.height)));
  }
  return 0;
}"""
RIGHT_EDGE = "el => el.getBoundingClientRect().right"


# Desktop and phone, and a small laptop's 900 px where the sidebar takes its share and the
# search results squeeze the tables beside them.
CHECKED_WIDTHS = (*WIDTHS, 900)


def _widths(page, name: str, check) -> None:
    """`check(width)` at each width, with a screenshot `search-<name>-<width>` (helpers)."""
    size = page.viewport_size
    try:
        for width in CHECKED_WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"]})
            screenshot(page, f"search-{name}-{width}")
            check(width)
    finally:
        page.set_viewport_size(size)


def _whole(ids, width: int, *, within=None) -> None:
    """Each id element takes one line, and (for short ids) stays inside the viewport."""
    assert ids.count() > 0
    for i in range(ids.count()):
        element = ids.nth(i)
        text = element.inner_text()
        assert element.evaluate(LINES) == 1, f"{text!r} wraps at {width} px"
        if within is not None:
            assert element.evaluate(RIGHT_EDGE) <= within, f"{text!r} overflows at {width} px"


def test_platform_model_ids_stay_on_one_line(demo, page):
    force_login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/chat-models/?q=sonnet+4")  # with results beside them
    ids = page.locator("tr[id^=pm-] .model-id")
    expect(ids.first).to_contain_text("dn/")

    def check(width: int) -> None:
        _whole(ids, width, within=width)
        # Tables wider than the screen scroll in their own box; the page never does.
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    _widths(page, "platform", check)


def test_replace_shows_the_suggestions_name_and_price_beside_the_current_one(demo, page):
    member = User.objects.get(email="member@example.com")
    soon = timezone.localdate() + timedelta(days=30)
    CatalogModel.objects.filter(model_id="openai/gpt-5-mini").update(deprecation_date=soon)
    caching.bump(caching.CATALOG)  # the server's cached pages and the catalog reload after
    services.add_model(user=member, model_id="openai/gpt-5-mini")
    current = CatalogModel.objects.get(model_id="openai/gpt-5-mini")
    force_login(page, demo.url, member.email)
    page.goto(f"{demo.url}/settings/chat-models/?q=sonnet+4")  # with results beside them
    replace = page.get_by_role("button", name="Replace openai/gpt-5-mini with")
    expect(replace).to_be_visible()
    new_id = replace.get_attribute("aria-label").rsplit(" with ", 1)[1]
    suggested = CatalogModel.objects.get(model_id=new_id)
    form = page.locator("form.replace", has=replace)
    row = page.locator("tr", has=form)

    def check(width: int) -> None:
        expect(form).to_contain_text(f"Suggested: {suggested.display_name}")
        price = form.locator(".num")
        expect(price).to_have_text(f"{prices(suggested)} (now {prices(current)})")
        # Beside the current model: under its name and id, in its own cell.
        name = row.locator(".model-name").first.bounding_box()
        box = form.bounding_box()
        assert name and box and box["y"] > name["y"] and abs(box["x"] - name["x"]) < 2
        _whole(form.locator(".model-id"), width, within=width)
        _whole(row.locator("div.model-id"), width, within=width)
        for pair in (prices(suggested), f"(now {prices(current)})"):
            assert price.evaluate(TEXT_LINES, pair) == 1, f"{pair} wraps at {width} px"

    _widths(page, "replace", check)


def test_an_orgs_model_checklists_and_audit_keep_ids_whole(demo, page):
    force_login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/settings/")
    page.get_by_label("Allow all platform models").uncheck()  # the list shows
    settled(page)
    checklist = page.locator(".checklist .model-id")
    expect(checklist.first).to_contain_text("dn/")
    _widths(page, "org-settings", lambda width: _whole(checklist, width, within=width))
    page.goto(f"{demo.url}/orgs/acme/audit/")
    audit = page.locator("td[data-label=Model] .model-id")  # the platform models' deploys
    _widths(page, "audit", lambda width: _whole(audit, width, within=width))
