"""Access files as spreadsheets write them: a BOM and CRLF, trailing empty rows, `;` (or tab)
between columns in many locales, and row numbers in errors as the spreadsheet shows them
(the header is row 1)."""

from __future__ import annotations

import pytest

from orgs.access_io import Entry, FileError, parse, plan

pytestmark = pytest.mark.django_db

ROWS = [
    ["email", "role", "allowed_model_ids"],
    ["member@example.com", "contributor", "dn/gpt-5.2"],
    ["reader@example.com", "reader", "*"],
]


def sheet(rows: list[list[str]], delimiter: str = ",", tail: str = "") -> bytes:
    """What a spreadsheet saves: a BOM, CRLF line ends, then maybe trailing rows."""
    return ("\ufeff" + "".join(delimiter.join(r) + "\r\n" for r in rows) + tail).encode()


def entries(content: bytes) -> list[tuple[int, str, list[str] | None]]:
    rows = parse(content, "csv")
    assert all(isinstance(r, Entry) for r in rows), rows
    return [(r.row, r.email, r.allowed_model_ids) for r in rows if isinstance(r, Entry)]


EXPECTED = [(2, "member@example.com", ["dn/gpt-5.2"]), (3, "reader@example.com", None)]


@pytest.mark.parametrize("tail", ["", ",,\r\n,,\r\n", "\r\n\r\n", " , , \r\n"])
def test_empty_rows_at_the_end_are_ignored(tail):
    assert entries(sheet(ROWS, tail=tail)) == EXPECTED


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_read_from_the_header(delimiter):
    tail = delimiter * 2 + "\r\n"
    assert entries(sheet(ROWS, delimiter, tail)) == EXPECTED


def test_ids_separated_by_semicolons_in_a_comma_file_still_split():
    rows = [ROWS[0], ["member@example.com", "contributor", "dn/gpt-5.2;dn/gemini-3-pro"]]
    assert entries(sheet(rows)) == [(2, "member@example.com", ["dn/gpt-5.2", "dn/gemini-3-pro"])]


def test_row_numbers_are_the_spreadsheets(platform_models, contributor):
    # An empty row in the middle is skipped but still counts, as the spreadsheet shows it.
    rows = [*ROWS[:2], ["", "", ""], ["nobody@example.com", "reader", ""]]
    found = plan(contributor.memberships.first().org, parse(sheet(rows), "csv"))
    assert [(e["row"], e["email"]) for e in found.errors] == [(4, "nobody@example.com")]


def test_a_header_without_the_columns_is_still_refused():
    with pytest.raises(FileError, match="must name the columns"):
        parse(sheet([["email", "role"], ["a@example.com", "reader"]], ";"), "csv")


def test_a_spreadsheets_file_imports_from_the_matrix_page(
    client, owner, contributor, reader, platform_models
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.orgs.test_matrix_import import PAGE, access, hidden

    client.force_login(owner)
    content = sheet(ROWS, ";", tail=";;\r\n;;\r\n")
    html = client.post(
        PAGE + "import/", {"file": SimpleUploadedFile("access.csv", content)}
    ).content.decode()
    assert "Import preview: nothing is saved yet" in html, html
    data = {k: hidden(html, k) for k in ("format", "content", "versions")}
    assert client.post(PAGE + "import/apply/", data).status_code == 302
    assert access("member@example.com") == ["dn/gpt-5.2"]
    assert access("reader@example.com") is None
