"""The checkout's .env reader: development defaults that never override the real environment."""

from __future__ import annotations

import os

from settings_app.env import read_dotenv


def test_dotenv_sets_missing_variables_and_keeps_real_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("DOTENV_TEST_REAL", "from-environment")
    monkeypatch.delenv("DOTENV_TEST_NEW", raising=False)
    monkeypatch.delenv("DOTENV_TEST_QUOTED", raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# a comment\n\nDOTENV_TEST_REAL=from-file\nexport DOTENV_TEST_NEW = 1\n"
        "DOTENV_TEST_QUOTED='a b=c'\nnot a variable\n"
    )
    read_dotenv(dotenv)
    assert os.environ["DOTENV_TEST_REAL"] == "from-environment"
    assert os.environ["DOTENV_TEST_NEW"] == "1"
    assert os.environ["DOTENV_TEST_QUOTED"] == "a b=c"
    monkeypatch.delenv("DOTENV_TEST_NEW")
    monkeypatch.delenv("DOTENV_TEST_QUOTED")


def test_no_dotenv_changes_nothing(tmp_path):
    before = dict(os.environ)
    read_dotenv(tmp_path / ".env")
    assert dict(os.environ) == before
