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
    assert "1–20 of 20 results" in page
    assert "offset=" not in page and "showing the best" not in page


def test_more_results_are_one_link_away_with_and_without_htmx(browser):
    page = text(browser.get(PAGE, {"provider": "ollama"}))
    assert "1–20 of 21 results" in page
    assert f'href="{PAGE}?provider=ollama&offset=20"' in page
    response = browser.get(PAGE, {"provider": "ollama", "offset": "20"}, **HTMX_RESULTS)
    second = text(response)
    assert "21–21 of 21 results" in second and second.count('id="act-') == 1
    assert f'href="{PAGE}?provider=ollama&offset=0"' in second
    assert response["HX-Push-Url"] == f"{PAGE}?provider=ollama&offset=20"


def test_filters_without_words_are_not_called_an_empty_query(browser):
    page = text(browser.get(PAGE, {"provider": "openrouter"}))
    assert "No models match these filters." in page and "“”" not in page


def test_a_misspelt_query_says_what_it_searched(browser):
    page = text(browser.get(PAGE, {"q": "claud opus 4.5"}))
    assert "Did you mean claude opus 4.5?" in page.replace("<strong>", "").replace("</strong>", "")
    assert "anthropic/claude-opus-4-5" in page


@pytest.mark.parametrize("offset", ["abc", "-1", "99999999999999999999", "1e3"])
def test_a_bad_offset_shows_the_first_page(browser, offset):
    assert "1–20 of" in text(browser.get(PAGE, {"q": "claude", "offset": offset}))


def test_a_bad_token_explains_itself_on_the_page(browser):
    page = text(browser.get(PAGE, {"q": "provider:nope claude"}))
    assert "No provider called “nope”; try provider:anthropic." in page


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ("", 7),  # featured models: a short page counts itself
        ("sonnet", 8),  # a full page and its count
        ("sonnet provider:anthropic", 7),
        ("sonet", 10),  # nothing, the spelling candidates, the corrected page and its count
    ],
)
def test_search_query_count_is_constant(browser, django_assert_num_queries, query, queries):
    with django_assert_num_queries(queries):
        text(browser.get(PAGE, {"q": query}))
