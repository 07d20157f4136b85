"""Chat Models page: access, bad input, the never-empty rule, query counts."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.test import Client

from accounts import services
from accounts.models import MAX_BYOK_MODELS, EnabledModel
from catalog.grouping import grouped_page
from catalog.models import CatalogModel, PlatformModel
from catalog.search import parse_query, search_results
from catalog.templatetags.catalog_tags import dom_id
from orgs.models import Membership
from tests.helpers import suggestion_queries

pytestmark = pytest.mark.usefixtures("catalog")
PAGE = "/settings/chat-models/"
HTMX = {"HTTP_HX_REQUEST": "true"}
OPUS = "anthropic/claude-opus-4-5"


def ids(user) -> list[str]:
    return list(EnabledModel.objects.filter(user=user).values_list("model_id", flat=True))


class _Rows(HTMLParser):
    """The cells' text of each table row whose id starts with `prefix`."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix, self.rows = prefix, []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._glue = False  # after <wbr>: the text goes on the same word

    def handle_starttag(self, tag, attrs):
        self._glue = tag == "wbr"
        if tag == "tr" and (dict(attrs).get("id") or "").startswith(self.prefix):
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None and self._glue and self._cell:
            self._cell[-1] += data
        elif self._cell is not None:
            self._cell.append(data)
        self._glue = False


def table_rows(html: str, prefix: str) -> list[list[str]]:
    parser = _Rows(prefix)
    parser.feed(html)
    return parser.rows


ACTIONS = [PAGE + "add/", PAGE + "remove/", PAGE + "reset/", PAGE + "check/"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", [PAGE, *ACTIONS])
def test_anonymous_goes_to_login(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ACTIONS)
def test_actions_refuse_get(client, contributor, url):
    client.force_login(contributor)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("url", ACTIONS)
def test_actions_refuse_a_post_without_the_csrf_token(contributor, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert client.post(url, {"model_id": OPUS}).status_code == 403
    assert ids(contributor) == []


def test_the_page_itself_is_get_only(client, contributor):
    client.force_login(contributor)
    assert client.post(PAGE, {}).status_code == 405


def test_page_has_the_platform_byok_and_featured_sections(client, contributor, platform_models):
    client.force_login(contributor)
    response = client.get(PAGE)
    assert response.status_code == 200
    for heading in ("Platform models", "Your models", "Featured models"):
        assert heading in response.content.decode()


def test_platform_table_lists_each_model_with_provider_dreadnode(
    client, contributor, platform_models
):
    client.force_login(contributor)
    rows = table_rows(client.get(PAGE).content.decode(), "pm-")
    assert [row[:2] for row in rows] == [
        ["Claude Opus 4.6 dn/claude-opus-4-6", "Dreadnode"],
        ["GPT-5.2 dn/gpt-5.2", "Dreadnode"],
        ["Gemini 3 Pro dn/gemini-3-pro", "Dreadnode"],
    ]


def test_platform_models_come_before_your_models(client, contributor, platform_models):
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert html.index('id="platform"') < html.index('id="byok"')


def test_an_unrestricted_member_sees_no_restriction_banner(client, contributor, platform_models):
    client.force_login(contributor)
    assert "restricted available models" not in client.get(PAGE).content.decode()


def test_page_varies_on_hx_request(client, contributor):
    client.force_login(contributor)
    vary = client.get(PAGE)["Vary"]
    assert "HX-Request" in [header.strip() for header in vary.split(",")]


def test_search_answers_htmx_with_the_results_fragment(client, contributor):
    client.force_login(contributor)
    response = client.get(PAGE, {"q": "opus 4.5"}, HTTP_HX_TARGET="results", **HTMX)
    html = response.content.decode()
    assert '<div id="results"' in html and "<h1>" not in html
    assert html.index(OPUS) < html.index("anthropic/claude-opus-4-5-20251101")


def test_search_pushes_a_bookmarkable_url(client, contributor):
    client.force_login(contributor)
    response = client.get(PAGE, {"q": "opus 4.5"}, HTTP_HX_TARGET="results", **HTMX)
    assert response["HX-Push-Url"] == "/settings/chat-models/?q=opus+4.5"


def test_search_works_without_javascript(client, contributor):
    client.force_login(contributor)
    full = client.get(PAGE, {"q": "opus 4.5"}).content.decode()
    assert "<h1>Chat Models</h1>" in full and OPUS in full


def test_results_count_is_what_the_search_returns(client, contributor):
    client.force_login(contributor)
    found = search_results(parse_query("opus 4.5"), page=grouped_page).models
    html = client.get(PAGE, {"q": "opus 4.5"}, HTTP_HX_TARGET="results", **HTMX).content.decode()
    assert f"{len(found)} results" in html
    assert html.count('<div class="model-id">') == len(found)  # one row per model


def test_add_stores_the_model_and_answers_with_the_byok_fragment(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX)
    assert response.status_code == 200 and 'id="byok"' in response.content.decode()
    assert ids(contributor) == [OPUS]


def test_an_added_model_says_which_key_it_needs_and_where_to_set_it(client, contributor):
    client.force_login(contributor)
    html = client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX).content.decode()
    key_cell = table_rows(html, "byok-row-")[0][3]
    assert key_cell.startswith("ANTHROPIC_API_KEY Not in Secrets")
    assert "/settings/secrets/?name=ANTHROPIC_API_KEY" in html
    assert "Set ANTHROPIC_API_KEY in the shell where you run the TUI, or save it in Secrets." in (
        _text(html)
    )


def test_the_shell_note_is_said_once_naming_the_keys_not_in_secrets(client, contributor):
    sonnet, gpt, gemini = "anthropic/claude-sonnet-4-5", "openai/gpt-5.2", "gemini/gemini-2.5-pro"
    for model_id in (OPUS, sonnet, gpt, gemini):
        services.add_model(user=contributor, model_id=model_id)
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert html.count("in the shell where you run the TUI") == 1
    assert (
        "Set ANTHROPIC_API_KEY, OPENAI_API_KEY and GEMINI_API_KEY or GOOGLE_API_KEY in the shell"
        " where you run the TUI, or save them in Secrets." in _text(html)
    )
    services.save_secret(user=contributor, name="OPENAI_API_KEY", value="sk-test-0123456789")
    services.save_secret(user=contributor, name="GOOGLE_API_KEY", value="g-test-0123456789")
    note = "Set ANTHROPIC_API_KEY in the shell where you run the TUI, or save it in Secrets."
    assert note in _text(client.get(PAGE).content.decode())
    services.save_secret(user=contributor, name="ANTHROPIC_API_KEY", value="sk-ant-0123456789")
    assert "in the shell where you run the TUI" not in client.get(PAGE).content.decode()


def _text(html: str) -> str:
    """The page's text with tags dropped and spaces collapsed, as a person reads it."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def test_add_marks_the_search_result_added_out_of_band(client, contributor):
    client.force_login(contributor)
    html = client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX).content.decode()
    assert 'hx-swap-oob="true"' in html and "Added" in html


def test_search_results_offer_no_add_button_for_an_added_model(client, contributor):
    client.force_login(contributor)
    client.post(PAGE + "add/", {"model_id": OPUS}, **HTMX)
    results = client.get(PAGE, {"q": "opus 4.5"}).content.decode()
    assert f'aria-label="Add {OPUS}"' not in results
    assert 'aria-label="Add anthropic/claude-opus-4-5-20251101"' in results


def test_add_without_javascript_redirects_back_with_a_message(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE + "add/", {"model_id": OPUS, "q": "opus 4.5"}, follow=True)
    # Back to the result it was added from (without JavaScript, the page reloads).
    assert response.redirect_chain[0][0] == "/settings/chat-models/?q=opus+4.5#act-" + dom_id(
        "anthropic/claude-opus-4-5"
    )
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


def test_check_names_the_key_and_offers_a_forced_add(client, contributor):
    client.force_login(contributor)
    check = client.post(PAGE + "check/", {"model_id": "openrouter/some/new-model"}, **HTMX)
    assert "OPENROUTER_API_KEY" in check.content.decode() and "Add anyway" in check.content.decode()


def test_an_uncatalogued_but_compatible_id_needs_force(client, contributor):
    client.force_login(contributor)
    client.post(PAGE + "add/", {"model_id": "openrouter/some/new-model"}, **HTMX)
    assert ids(contributor) == []
    client.post(PAGE + "add/", {"model_id": "openrouter/some/new-model", "force": "on"}, **HTMX)
    assert ids(contributor) == ["openrouter/some/new-model"]


def test_check_without_javascript_renders_the_page(client, contributor):
    client.force_login(contributor)
    html = client.post(PAGE + "check/", {"model_id": "foo/bar"}).content.decode()
    assert "<h1>Chat Models</h1>" in html and "Unknown provider" in html


def _add(client, *model_ids: str) -> None:
    for model_id in model_ids:
        client.post(PAGE + "add/", {"model_id": model_id}, **HTMX)


def test_remove_takes_one_model_out(client, contributor, platform_models):
    client.force_login(contributor)
    _add(client, OPUS, "openai/gpt-5.2")
    response = client.post(PAGE + "remove/", {"model_id": OPUS}, **HTMX)
    assert ids(contributor) == ["openai/gpt-5.2"]
    assert f"Removed {OPUS}." in response.content.decode()


def test_removing_a_model_not_in_the_list_is_explained(client, contributor, platform_models):
    client.force_login(contributor)
    _add(client, OPUS)
    response = client.post(PAGE + "remove/", {"model_id": "x" * 5000}, **HTMX)
    assert response.status_code == 200 and "is not in your models" in response.content.decode()
    assert ids(contributor) == [OPUS]


def test_reset_empties_the_list(client, contributor, platform_models):
    client.force_login(contributor)
    _add(client, OPUS, "openai/gpt-5.2")
    client.post(PAGE + "reset/", **HTMX)
    assert ids(contributor) == []


@pytest.mark.parametrize("url", [PAGE + "remove/", PAGE + "reset/"])
def test_remove_and_reset_refuse_to_leave_no_model_at_all(
    client, contributor, platform_models, url
):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    client.force_login(contributor)
    _add(client, OPUS)
    response = client.post(url, {"model_id": OPUS}, **HTMX)
    assert "would leave you with no model at all" in response.content.decode()
    assert ids(contributor) == [OPUS]


def test_removing_the_last_own_model_is_fine_with_a_platform_model_allowed(
    client, contributor, platform_models
):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=["dn/gpt-5.2"])
    client.force_login(contributor)
    _add(client, OPUS)
    client.post(PAGE + "remove/", {"model_id": OPUS}, **HTMX)
    assert ids(contributor) == []


def test_restricted_member_sees_the_banner(client, restricted):
    client.force_login(restricted)
    html = client.get(PAGE).content.decode()
    assert "Your org has restricted available models. Contact your org owner for changes." in html


def test_restricted_member_sees_only_allowed_platform_models(client, restricted):
    client.force_login(restricted)
    rows = table_rows(client.get(PAGE).content.decode(), "pm-")
    assert [row[0] for row in rows] == ["Claude Opus 4.6 dn/claude-opus-4-6"]


def test_empty_allowlist_shows_no_platform_models(client, contributor, platform_models):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert "Your org allows you no platform models." in html
    assert 'id="pm-' not in html  # shown only among the models they can ask for
    assert "Your org gives you no platform models." in html


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
    client.get(PAGE)  # then the platform list, the provider counts and the search are cached
    # Built again from what is kept (the session, the person, their memberships and BYOK list
    # with its suggested replacements, the search), ?page=1 as well.
    with django_assert_num_queries(0):
        client.get(PAGE)
    with django_assert_num_queries(0):
        response = client.get(PAGE, {"page": "1"})
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
    extra = suggestion_queries(contributor)  # the added model is current: it adds none
    # One reads whether the added model is retired; the person and their memberships are read
    # again (logging in bumped their version).
    with django_assert_num_queries(14 + extra):
        response = client.post(PAGE + "add/", {"model_id": last, "q": "claude"}, **HTMX)
    html = response.content.decode()
    assert html.count('id="byok-row-') == byok + 1 and f"Added {last}." in html
    assert 'id="results"' not in html and 'id="pm-' not in html
    # The person, their memberships and each model's successor are kept from the add; a list
    # holding a successor already reads the next one again, for the list it now is.
    with django_assert_num_queries(7 + (extra == 2)):
        response = client.post(PAGE + "remove/", {"model_id": last, "q": "claude"}, **HTMX)
    html = response.content.decode()
    assert html.count('id="byok-row-') == byok and f"Removed {last}." in html
    # The Add button swapped back sends the page's add form, which holds the search.
    assert f'form="add-model" name="model_id" value="{last}"' in html
