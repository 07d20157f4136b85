"""Chat Models page: access, bad input, the never-empty rule, query counts."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from accounts.models import MAX_BYOK_MODELS, EnabledModel
from catalog.models import CatalogModel, PlatformModel
from orgs.models import Membership

pytestmark = pytest.mark.usefixtures("catalog")
PAGE = "/settings/chat-models/"
HTMX = {"HTTP_HX_REQUEST": "true"}
OPUS = "anthropic/claude-opus-4-5"


def ids(user) -> list[str]:
    return list(EnabledModel.objects.filter(user=user).values_list("model_id", flat=True))


@pytest.mark.parametrize(
    "url", [PAGE, PAGE + "add/", PAGE + "remove/", PAGE + "reset/", PAGE + "check/"]
)
def test_anonymous_goes_to_login(client, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", [PAGE + "add/", PAGE + "remove/", PAGE + "reset/", PAGE + "check/"])
def test_actions_are_post_only_and_csrf_protected(contributor, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert client.get(url).status_code == 405
    assert client.post(url, {"model_id": OPUS}).status_code == 403
    assert ids(contributor) == []


def test_the_page_itself_is_get_only(client, contributor):
    client.force_login(contributor)
    assert client.post(PAGE, {}).status_code == 405


def test_page_shows_sections_and_featured_models(client, contributor, platform_models):
    client.force_login(contributor)
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Platform models" in html and "Your models" in html and "Featured models" in html
    assert html.index("dn/claude-opus-4-6") < html.index("Your models")
    assert "Dreadnode" in html
    assert "restricted available models" not in html
    assert response["Vary"].count("HX-Request")


def test_search_fragment_and_url(client, contributor):
    client.force_login(contributor)
    response = client.get(PAGE, {"q": "opus 4.5"}, HTTP_HX_TARGET="results", **HTMX)
    html = response.content.decode()
    assert '<div id="results"' in html and "<h1>" not in html
    assert html.index(OPUS) < html.index("anthropic/claude-opus-4-5-20251101")
    assert response["HX-Push-Url"] == "/settings/chat-models/?q=opus+4.5"
    full = client.get(PAGE, {"q": "opus 4.5"}).content.decode()  # works without JavaScript
    assert "<h1>Chat Models</h1>" in full and OPUS in full


def test_add_in_place_and_added_state(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="byok"' in html and "Needs ANTHROPIC_API_KEY" in html
    assert "/settings/secrets/?name=ANTHROPIC_API_KEY" in html
    assert "Set ANTHROPIC_API_KEY in the shell where you run the TUI" in html
    assert 'hx-swap-oob="true"' in html and "Added" in html
    assert ids(contributor) == [OPUS]
    results = client.get(PAGE, {"q": "opus 4.5"}).content.decode()
    assert f'aria-label="Add {OPUS}"' not in results


def test_add_without_javascript_redirects_back_with_a_message(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE + "add/", {"model_id": OPUS, "q": "opus 4.5"}, follow=True)
    assert response.redirect_chain[0][0] == "/settings/chat-models/?q=opus+4.5"
    assert f"Added {OPUS}." in response.content.decode()


def test_add_is_case_insensitive_to_the_canonical_id(client, contributor):
    client.force_login(contributor)
    client.post(PAGE + "add/", {"model_id": "  Anthropic/Claude-Opus-4-5 "}, **HTMX)
    assert ids(contributor) == [OPUS]


BAD = {
    "unknown id": ("anthropic/claude-opus-9-9", "isn't in the catalog"),
    "dn id": ("dn/claude-opus-4-6", "platform models"),
    "spaces": ("anthropic/claude opus", "can't contain spaces"),
    "unicode": ("anthropic/clåude-opus", "ASCII"),
    "10 kB": ("a" * 10_000, "at most 255"),
    "empty": ("", "Enter a model id"),
    "no provider": ("claude-opus-4-5", "provider/model"),
    "unknown provider, forced": ("foo/bar", "Unknown provider"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_ids_get_a_clear_message_and_store_nothing(client, contributor, case):
    model_id, message = BAD[case]
    client.force_login(contributor)
    data = {"model_id": model_id} | ({"force": "on"} if "forced" in case else {})
    response = client.post(PAGE + "add/", data, **HTMX)
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert ids(contributor) == []


def test_duplicates_are_refused(client, contributor):
    client.force_login(contributor)
    client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX)
    response = client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX)
    assert "already in your models" in response.content.decode()
    assert ids(contributor) == [OPUS]


def test_the_201st_model_is_refused(client, contributor):
    models = CatalogModel.objects.order_by("model_id").values_list("model_id", flat=True)
    EnabledModel.objects.bulk_create(
        EnabledModel(user=contributor, model_id=m, position=i)
        for i, m in enumerate(models[:MAX_BYOK_MODELS])
    )
    client.force_login(contributor)
    response = client.post(PAGE + "add/", {"model_id": models[MAX_BYOK_MODELS]}, **HTMX)
    assert "Your list is full (200 models)" in response.content.decode()
    assert len(ids(contributor)) == MAX_BYOK_MODELS


def test_forced_add_of_an_uncatalogued_but_compatible_id(client, contributor):
    client.force_login(contributor)
    check = client.post(PAGE + "check/", {"model_id": "openrouter/some/new-model"}, **HTMX)
    assert "OPENROUTER_API_KEY" in check.content.decode() and "Add anyway" in check.content.decode()
    client.post(PAGE + "add/", {"model_id": "openrouter/some/new-model"}, **HTMX)
    assert ids(contributor) == []
    client.post(PAGE + "add/", {"model_id": "openrouter/some/new-model", "force": "on"}, **HTMX)
    assert ids(contributor) == ["openrouter/some/new-model"]


def test_check_without_javascript_renders_the_page(client, contributor):
    client.force_login(contributor)
    html = client.post(PAGE + "check/", {"model_id": "foo/bar"}).content.decode()
    assert "<h1>Chat Models</h1>" in html and "Unknown provider" in html


def test_remove_and_reset(client, contributor, platform_models):
    client.force_login(contributor)
    for model_id in (OPUS, "openai/gpt-5.2"):
        client.post(PAGE + "add/", {"model_id": model_id}, **HTMX)
    response = client.post(PAGE + "remove/", {"model_id": OPUS}, **HTMX)
    assert ids(contributor) == ["openai/gpt-5.2"]
    assert f"Removed {OPUS}." in response.content.decode()
    response = client.post(PAGE + "remove/", {"model_id": "x" * 5000}, **HTMX)
    assert response.status_code == 200 and "is not in your models" in response.content.decode()
    client.post(PAGE + "reset/", **HTMX)
    assert ids(contributor) == []


def test_remove_refuses_to_leave_no_model_at_all(client, contributor, platform_models):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    client.force_login(contributor)
    client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX)
    for url in (PAGE + "remove/", PAGE + "reset/"):
        response = client.post(url, {"model_id": OPUS}, **HTMX)
        assert "would leave you with no model at all" in response.content.decode()
        assert ids(contributor) == [OPUS]
    # With one platform model allowed, the same remove is fine.
    Membership.objects.filter(user=contributor).update(allowed_model_ids=["dn/gpt-5.2"])
    client.post(PAGE + "remove/", {"model_id": OPUS}, **HTMX)
    assert ids(contributor) == []


def test_restricted_member_sees_banner_and_only_allowed_platform_models(client, restricted):
    client.force_login(restricted)
    html = client.get(PAGE).content.decode()
    assert "Your org has restricted available models. Contact your org owner for changes." in html
    platform = html.split('id="byok"')[0]
    assert "dn/claude-opus-4-6" in platform
    assert "dn/gpt-5.2" not in platform and "dn/gemini-3-pro" not in platform


def test_empty_allowlist_shows_no_platform_models(client, contributor, platform_models):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert "Your org allows you no platform models." in html
    assert "dn/claude-opus-4-6" not in html


def _fill(user, byok: int, platform: int) -> None:
    PlatformModel.objects.bulk_create(
        PlatformModel(model_id=f"dn/bench-{i}", display_name=f"Bench {i}", position=i)
        for i in range(platform)
    )
    models = CatalogModel.objects.order_by("model_id").values_list("model_id", flat=True)[:byok]
    EnabledModel.objects.bulk_create(
        EnabledModel(user=user, model_id=m, position=i) for i, m in enumerate(models)
    )


@pytest.mark.parametrize("byok", [1, 50])
def test_query_count_is_constant(client, contributor, django_assert_num_queries, byok):
    _fill(contributor, byok=byok, platform=20)
    client.force_login(contributor)
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    assert response.content.decode().count('id="byok-row-') == byok
    assert response.content.decode().count('id="pm-') == 20


def test_a_near_miss_suggests_the_catalog_id(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE + "add/", {"model_id": "anthropic/claude-opus-4.5"}, **HTMX)
    assert f"Did you mean {OPUS}?" in response.content.decode()
    assert ids(contributor) == []


@pytest.mark.parametrize("byok", [1, 30])
def test_htmx_add_and_remove_build_only_your_models(
    client, contributor, django_assert_num_queries, byok
):
    """The "Your models" fragment shows no platform models and no search results, so an
    add or remove neither reads the platform list nor searches the catalog."""
    _fill(contributor, byok=byok, platform=5)
    last = CatalogModel.objects.order_by("-model_id").values_list("model_id", flat=True)[0]
    client.force_login(contributor)
    with django_assert_num_queries(15):
        response = client.post(PAGE + "add/", {"model_id": last, "q": "claude"}, **HTMX)
    html = response.content.decode()
    assert html.count('id="byok-row-') == byok + 1 and f"Added {last}." in html
    assert 'id="results"' not in html and 'id="pm-' not in html
    with django_assert_num_queries(12):
        response = client.post(PAGE + "remove/", {"model_id": last, "q": "claude"}, **HTMX)
    html = response.content.decode()
    assert html.count('id="byok-row-') == byok and f"Removed {last}." in html
    assert 'name="q" value="claude"' in html  # the Add button swapped back keeps the search
