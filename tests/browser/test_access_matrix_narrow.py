"""The members × models matrix on a phone (390 px): the column headers are gone, so every cell
names its model; the boxes stay keyboard-usable and a tick shows what it will do at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, force_login, settled

pytestmark = pytest.mark.browser
MODELS = ["Claude Opus 4.6", "GPT-5.2", "Gemini 3 Pro"]


@pytest.fixture
def matrix(demo, page):
    page.set_viewport_size({"width": 390, "height": 844})
    force_login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/access/")
    settled(page)
    return page


def test_each_cell_names_its_model_on_a_phone(matrix):
    row = matrix.get_by_role("row").filter(has_text="reader@example.com")
    cells = row.locator("td.cell")
    expect(cells).to_have_count(len(MODELS))
    for cell, name in zip(cells.all(), MODELS, strict=True):
        expect(cell.get_by_text(name, exact=True)).to_be_visible()
    assert_accessible(matrix, "access matrix", shots="access-matrix-narrow")


def test_cells_work_by_keyboard_on_a_phone(matrix):
    box = matrix.get_by_label("dn/gpt-5.2 for reader@example.com")
    box.focus()
    expect(box).to_be_focused()
    was = box.is_checked()
    matrix.keyboard.press("Space")
    expect(box).to_be_checked(checked=not was)
