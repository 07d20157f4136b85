"""The Chat Models "isn't in the catalog?" box: catalog first, near misses before "Add anyway"."""

from __future__ import annotations

from html import unescape

import pytest

from accounts.models import EnabledModel

pytestmark = pytest.mark.usefixtures("catalog")
CHECK = "/settings/chat-models/check/"
HTMX = {"HTTP_HX_REQUEST": "true"}
OPUS = "anthropic/claude-opus-4-5"


@pytest.mark.parametrize(("raw", "canonical"), [(OPUS, OPUS), ("OpenAI/GPT-5.2", "openai/gpt-5.2")])
def test_a_catalog_id_is_said_to_be_in_the_catalog_with_an_add_button(
    client, contributor, raw, canonical
):
    client.force_login(contributor)
    html = unescape(client.post(CHECK, {"model_id": raw}, **HTMX).content.decode())
    assert f"<strong>{canonical}</strong> is in the catalog" in html
    assert f'aria-label="Add {canonical}"' in html
    assert "Add anyway" not in html and "isn't in the catalog" not in html


def test_a_near_miss_offers_the_catalog_model_before_add_anyway(client, contributor):
    client.force_login(contributor)
    html = client.post(CHECK, {"model_id": "anthropic/claude-opus-4.5"}, **HTMX).content.decode()
    assert f"Did you mean <strong>{OPUS}</strong>?" in html
    assert html.index(f'aria-label="Add {OPUS}"') < html.index("Add anyway")
    # The suggestion is the primary action; "Add anyway" is demoted.
    assert 'class="btn btn-small">Add anyway' in html
    client.post("/settings/chat-models/add/", {"model_id": OPUS}, **HTMX)
    assert list(EnabledModel.objects.values_list("model_id", flat=True)) == [OPUS]


def test_the_result_takes_focus_and_is_no_live_region_of_its_own(client, contributor):
    client.force_login(contributor)
    html = client.post(CHECK, {"model_id": "foo/bar"}, **HTMX).content.decode()
    assert "aria-live" not in html
    assert 'role="alert" tabindex="-1" autofocus>' in html
    html = client.post(CHECK, {"model_id": OPUS}, **HTMX).content.decode()
    assert 'role="status" tabindex="-1" autofocus>' in html


def test_a_catalog_id_without_javascript_renders_the_page_with_its_add_button(client, contributor):
    client.force_login(contributor)
    html = unescape(client.post(CHECK, {"model_id": "OpenAI/GPT-5.2"}).content.decode())
    assert "<h1>Chat Models</h1>" in html and "<strong>openai/gpt-5.2</strong> is in" in html
