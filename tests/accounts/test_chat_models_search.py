"""Chat Models page: the model browser's count, pages, spelling correction and empty state."""

from __future__ import annotations

from html import unescape

import pytest

pytestmark = pytest.mark.usefixtures("catalog")
PAGE = "/settings/chat-models/"
HTMX_RESULTS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


@pytest.fixture
def browser(client, contributor):
    client.force_login(contributor)
    return client


def text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_exactly_one_page_of_results_is_not_called_cut_off(browser):
    page = text(browser.get(PAGE, {"provider": "lambda_ai"}))
    assert "20 results" in page
    assert "page=2" not in page and "Show more" not in page and "showing" not in page


def test_more_results_are_one_link_away_with_and_without_htmx(browser):
    page = text(browser.get(PAGE, {"provider": "ollama"}))
    assert "21 results · showing 1–20" in page
    assert f'href="{PAGE}?provider=ollama&page=2#results-status"' in page
    more = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "result-rows"}
    second = text(browser.get(PAGE, {"provider": "ollama", "page": "2"}, **more))
    assert second.count('id="act-') == 1


def test_filters_without_words_are_not_called_an_empty_query(browser):
    page = text(browser.get(PAGE, {"provider": "openrouter"}))
    assert "No models match these filters." in page and "“”" not in page


def test_a_misspelt_query_says_what_it_searched(browser):
    page = text(browser.get(PAGE, {"q": "claud opus 4.5"}))
    assert "Did you mean claude opus 4.5?" in page.replace("<strong>", "").replace("</strong>", "")
    assert "anthropic/claude-opus-4-5" in page


@pytest.mark.parametrize("number", ["abc", "-1", "0", "1e3", "²"])
def test_a_bad_page_number_shows_the_first_page(browser, number):
    assert "showing 1–20" in text(browser.get(PAGE, {"q": "claude", "page": number}))


def test_a_bad_token_explains_itself_on_the_page(browser):
    page = text(browser.get(PAGE, {"q": "provider:nope claude"}))
    assert "No provider called “nope”; try provider:anthropic." in page


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # Only the search: the session, the person, their memberships and list are kept.
        ("", 0),  # featured models: cached with the catalog's version on first sight
        ("sonnet", 3),  # a full page, the other hosts of its models and the count
        ("sonnet provider:anthropic", 2),
        ("sonet", 5),  # nothing, the spelling candidates, the corrected page, hosts, count
    ],
)
def test_search_query_count_is_constant(browser, django_assert_num_queries, query, queries):
    text(browser.get(PAGE))  # the provider dropdown is cached after the first page
    with django_assert_num_queries(queries):
        text(browser.get(PAGE, {"q": query}))
