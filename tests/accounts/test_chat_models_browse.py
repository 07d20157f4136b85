"""The model browser on Chat Models: paging with a true count, the provider dropdown,
reset and the search results, copy, and the one price and id format of every table."""

from __future__ import annotations

import re
from html import unescape

import pytest

from accounts import services
from accounts.models import EnabledModel
from accounts.views.chat_models import provider_choices
from catalog.grouping import grouped_page
from catalog.models import CatalogModel
from catalog.search import parse_query, search_queryset
from catalog.sync import apply_records
from catalog.templatetags.catalog_tags import dom_id
from orgs.models import Membership
from tests.accounts.test_chat_models_views import table_rows
from tests.helpers import snapshot_records, unwrap_ids

pytestmark = pytest.mark.usefixtures("catalog")
PAGE = "/settings/chat-models/"
HTMX = {"HTTP_HX_REQUEST": "true"}
OPUS = "anthropic/claude-opus-4-5"


def result_ids(html: str) -> list[str]:
    return re.findall(r'<div id="act-m-[0-9a-f]+">.*?aria-label="Add ([^"]+)"', html, re.S)


def models(query: str) -> list[str]:
    """The models a query finds, one per model (its tail), in the page's order."""
    return list(dict.fromkeys(m.model_key for m in search_queryset(parse_query(query))))


def status(html: str) -> str:
    return unescape(re.search(r'id="results-status"[^>]*>(.*?)</p>', html, re.S).group(1))


# Paging ---------------------------------------------------------------------------------


def test_exactly_twenty_results_are_not_called_cut_off(client, contributor):
    assert CatalogModel.objects.filter(provider="lambda_ai", is_active=True).count() == 20
    client.force_login(contributor)
    html = client.get(PAGE, {"provider": "lambda_ai"}).content.decode()
    assert status(html) == "20 results"
    assert "Show more" not in html and "showing" not in html


def test_the_count_is_the_true_number_of_matches(client, contributor):
    total = len(models("claude"))  # one model, one row: hosts' copies are not counted
    assert total > 40
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "claude"}).content.decode()
    assert status(html) == f"{total} results · showing 1–20"
    assert '<a href="/settings/chat-models/?q=claude&amp;page=2#results-status"' in html


def test_every_match_can_be_reached_page_by_page(client, contributor):
    expected = models("gpt-4o")
    client.force_login(contributor)
    seen: list[str] = []
    for page in range(1, 10):
        html = client.get(PAGE, {"q": "gpt-4o", "page": page}).content.decode()
        seen += re.findall(r'<div class="model-id">(.*?)</div>', html.split('id="results"')[1])
        if "Show more" not in html:
            break
    tails = dict(CatalogModel.objects.values_list("model_id", "model_key"))
    assert [tails[unwrap_ids(s)] for s in seen] == expected


def test_show_more_with_htmx_appends_the_next_rows_and_updates_the_count(client, contributor):
    expected = models("claude")
    second = grouped_page(parse_query("claude", limit=20, offset=20)).models
    client.force_login(contributor)
    response = client.get(PAGE, {"q": "claude", "page": 2}, HTTP_HX_TARGET="result-rows", **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith("<tr>") and "<table" not in html
    assert result_ids(html) == [m.model_id for m in second]
    assert [m.model_key for m in second] == expected[20:40]
    assert 'id="results-more" class="results-more" hx-swap-oob="true"' in html
    assert "?q=claude&amp;page=3" in html
    assert f"{len(expected)} results · showing 1–40" in html  # rows 1-40 are on the page now
    assert html.count("autofocus") == 1  # the first new row takes focus
    assert "HX-Push-Url" not in response


def test_a_page_past_the_end_says_so(client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "claude", "page": 999}).content.decode()
    assert "No more results" in html and 'href="/settings/chat-models/?q=claude"' in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "²", "9" * 40])
def test_odd_page_numbers_never_fail(client, contributor, page):
    client.force_login(contributor)
    assert client.get(PAGE, {"q": "claude", "page": page}).status_code == 200


def test_filters_without_words_say_so_instead_of_quoting_nothing(client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "ctx:>=99999999"}).content.decode()
    assert "No models match these filters." in html and "“”" not in html
    html = client.get(PAGE, {"q": "zzzqqq"}).content.decode()
    assert "No models match “zzzqqq”." in unescape(html)


def test_the_results_table_is_not_a_live_region(client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "opus"}, HTTP_HX_TARGET="results", **HTMX).content.decode()
    assert "aria-live" not in html
    assert '<p id="results-status" hx-swap-oob="innerHTML">' in html
    page = client.get(PAGE).content.decode()
    assert '<p id="results-status" class="muted small" role="status">Featured models</p>' in page


# Provider dropdown ----------------------------------------------------------------------


def provider_options(html: str) -> list[tuple[str, str]]:
    select = html.split('id="provider-filter"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select)


def test_provider_dropdown_lists_providers_with_models_and_their_counts(client, contributor):
    client.force_login(contributor)
    options = provider_options(client.get(PAGE).content.decode())
    slugs = [slug for slug, _ in options]
    assert "openrouter" not in slugs  # no catalog rows
    assert set(slugs) == set(CatalogModel.objects.values_list("provider", flat=True))
    assert ("anthropic", "Anthropic (22)") in options
    labels = [label for _, label in options]
    assert labels == sorted(labels, key=str.casefold)
    assert labels.index("fal.ai (1)") < labels.index("Fireworks AI (321)")


def test_provider_counts_are_cached_until_the_catalog_changes(client, contributor):
    client.force_login(contributor)
    assert ("anthropic", "Anthropic (22)") in provider_options(client.get(PAGE).content.decode())
    retired = CatalogModel.objects.get(model_id=OPUS)
    retired.is_active = False
    retired.save()  # any write of a row counts
    assert ("anthropic", "Anthropic (21)") in provider_options(client.get(PAGE).content.decode())
    apply_records(snapshot_records(), source="test")
    assert ("anthropic", "Anthropic (22)") in provider_options(client.get(PAGE).content.decode())


def test_provider_counts_are_one_query_then_none(django_assert_num_queries):
    with django_assert_num_queries(1):  # the grouped count, under the catalog's version
        provider_choices()
    with django_assert_num_queries(0):
        provider_choices()


def test_openrouter_is_explained_where_people_look_for_it(client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert 'aria-describedby="provider-hint"' in html
    hint = html.split('id="provider-hint"')[1].split("</p>")[0]
    assert "OpenRouter" in hint and "added by id" in hint


# Reset ------------------------------------------------------------------------------------


def test_reset_turns_the_results_added_badges_back_into_add_buttons(
    client, contributor, platform_models
):
    client.force_login(contributor)
    for model_id in (OPUS, "openai/gpt-5.2"):
        services.add_model(user=contributor, model_id=model_id)
    html = client.post(PAGE + "reset/", **HTMX).content.decode()
    for model_id in (OPUS, "openai/gpt-5.2"):
        oob = rf'<div id="act-{dom_id(model_id)}" hx-swap-oob="true">\s*<button [^>]*'
        assert re.search(oob + rf'aria-label="Add {re.escape(model_id)}">Add</button>', html)
    assert EnabledModel.objects.filter(user=contributor).count() == 0


@pytest.mark.parametrize(("count", "text"), [(1, "removed 1 model."), (2, "removed 2 models.")])
def test_reset_counts_models_in_good_english(client, contributor, platform_models, count, text):
    for model_id in (OPUS, "openai/gpt-5.2")[:count]:
        services.add_model(user=contributor, model_id=model_id)
    client.force_login(contributor)
    html = client.post(PAGE + "reset/", **HTMX).content.decode()
    assert f"Reset to defaults: {text}" in html


def test_reset_query_count_is_constant(
    client, contributor, platform_models, django_assert_num_queries
):
    for n in (2, 40):
        ids = CatalogModel.objects.order_by("model_id").values_list("model_id", flat=True)[:n]
        EnabledModel.objects.bulk_create(
            EnabledModel(user=contributor, model_id=m, position=i) for i, m in enumerate(ids)
        )
        client.force_login(contributor)
        client.get(PAGE)  # the platform list, the session and the person are read once, then kept
        with django_assert_num_queries(7):
            client.post(PAGE + "reset/", **HTMX)


# Copy -------------------------------------------------------------------------------------


def test_staff_in_no_org_is_not_told_about_their_orgs_credits(client, staff, platform_models):
    client.force_login(staff)
    html = unescape(client.get(PAGE).content.decode())
    assert "your org's credits" not in html and "billed to an organization's credits" in html
    assert "Platform models come with an organization; you're not in one yet." in html


def test_a_member_is_told_which_org_pays(client, contributor, platform_models):
    client.force_login(contributor)
    assert "billed to Acme Corp's credits" in unescape(client.get(PAGE).content.decode())


# One presentation -------------------------------------------------------------------------


def test_every_table_shows_prices_one_way(client, contributor, platform_models):
    services.add_model(user=contributor, model_id=OPUS)
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "opus 4.5"}).content.decode()
    platform = table_rows(html, "pm-")[0][3]
    byok = table_rows(html, "byok-row-")[0][2]
    assert platform == "$3 / $15"  # the platform_models fixture
    assert byok == "$5 / $25"  # anthropic/claude-opus-4-5 in the catalog
    assert '<td class="num">$5 / $25</td>' in html.split('id="results"')[1]
    assert " in · " not in html


def test_your_models_rows_put_the_name_over_the_id_like_the_other_tables(client, contributor):
    services.add_model(user=contributor, model_id=OPUS)
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert table_rows(html, "byok-row-")[0][0] == "Claude Opus 4.5 anthropic/claude-opus-4-5"
    row = html.split('id="byok-row-')[1]
    assert row.index('class="model-name"') < row.index('class="model-id"')


def test_model_ids_stay_whole_or_wrap_only_between_their_parts(
    client, contributor, platform_models
):
    services.add_model(user=contributor, model_id=OPUS)
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "opus 4.5"}).content.decode()
    # An id that fits a phone's line is kept whole; never "dn/claude-opus-4-" / "6".
    whole = '<div class="model-id"><span class="id-whole">anthropic/claude-opus-4-5</span></div>'
    assert html.count(whole) == 2  # your models and the search result
    assert '<div class="model-id"><span class="id-whole">dn/claude-opus-4-6</span></div>' in html
    # A longer one breaks only after a "/" or Bedrock's region and vendor.
    html = client.get(PAGE, {"q": "sonnet 4.5 bedrock"}).content.decode()
    assert (
        '<span class="id-whole">bedrock/</span><wbr><span class="id-whole">us.anthropic.</span>'
        '<wbr><span class="id-whole">claude-sonnet-4-5-20250929-v1:0</span>'
    ) in html


@pytest.mark.parametrize(
    ("provider_model", "keys"),
    [(OPUS, ["ANTHROPIC_API_KEY"]), ("azure/gpt-4o", ["AZURE_API_KEY", "AZURE_API_BASE"])],
)
def test_the_key_name_is_said_once_per_row(client, contributor, provider_model, keys):
    services.add_model(user=contributor, model_id=provider_model)
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    row = html.split('id="byok-row-')[1].split("</tr>")[0]
    text = re.sub(r"<[^>]+>", " ", row)
    for key in keys:
        assert text.count(key) == 1, text


def test_a_partly_saved_multi_key_provider_says_so(client, contributor):
    services.add_model(user=contributor, model_id="azure/gpt-4o")
    services.save_secret(user=contributor, name="AZURE_API_KEY", value="azure-secret-value")
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert "Partly in Secrets" in table_rows(html, "byok-row-")[0][3]
    # The note names only what is still missing.
    note = html.split('id="byok-keys">')[1].split("</p>")[0]
    assert re.sub(r"<[^>]+>", "", note) == (
        "Set AZURE_API_BASE + AZURE_API_VERSION in the shell where you run the TUI,"
        " or save them in Secrets."
    )


def test_restricted_membership_keeps_its_banner(client, restricted):
    Membership.objects.filter(user=restricted).update(allowed_model_ids=["dn/claude-opus-4-6"])
    client.force_login(restricted)
    assert "restricted available models" in client.get(PAGE).content.decode()


@pytest.mark.parametrize("page", ["9" * 5000, "0", "-1", "1" * 7, "٣"])
def test_any_page_number_shows_a_page(client, contributor, page):
    """Python refuses int() of 4,300+ digits: such a page number is the first page, not a 500."""
    client.force_login(contributor)
    for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "result-rows"}):
        assert client.get(PAGE, {"page": page}, **headers).status_code == 200
