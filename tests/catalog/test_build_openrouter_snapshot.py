"""The maintainer's snapshot builder: reads genai-prices when installed, else says how."""

from __future__ import annotations

import datetime as dt
import io
import sys
import time
import types
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalog.openrouter import parse_openrouter
from catalog.sync import read_file


@dataclass
class Price:
    input_mtok: object = None
    output_mtok: object = None


@dataclass
class Tiered:
    base: Decimal


@dataclass
class Conditional:
    constraint: object
    prices: Price


@dataclass
class Model:
    id: str
    prices: object
    name: str | None = None
    context_window: int | None = None


@dataclass
class Provider:
    id: str
    models: list = field(default_factory=list)


@pytest.fixture
def fake_genai_prices(monkeypatch):
    later = types.SimpleNamespace(start_date=dt.date.today() + dt.timedelta(days=30))
    earlier = types.SimpleNamespace(start_date=dt.date.today() - dt.timedelta(days=1))
    module = types.ModuleType("genai_prices")
    module.__version__ = "9.9.9"
    module.data = types.SimpleNamespace(
        providers=[
            Provider(
                "openrouter",
                [
                    Model("openai/gpt-4o", Price(Decimal("2.5"), Decimal("10")), "GPT-4o", 128000),
                    Model("google/gemma-3-27b-it:free", Price()),
                    Model("anthropic/claude-x", Price(Tiered(Decimal("3")), Tiered(Decimal("15")))),
                    Model(
                        "qwen/qwen-x",
                        [
                            Conditional(None, Price(Decimal("1"), Decimal("2"))),
                            Conditional(earlier, Price(Decimal("3"), Decimal("4"))),
                            Conditional(later, Price(Decimal("5"), Decimal("6"))),
                        ],
                    ),
                ],
            )
        ]
    )
    monkeypatch.setitem(sys.modules, "genai_prices", module)


def test_builds_a_snapshot_the_catalog_reads(fake_genai_prices, tmp_path):
    out = tmp_path / "openrouter.json.gz"
    call_command("build_openrouter_snapshot", output=str(out), stdout=io.StringIO())
    records = parse_openrouter(read_file(out)).records
    gpt = records["openrouter/openai/gpt-4o"]
    assert (gpt["display_name"], gpt["context_window"], gpt["cost_input"]) == (
        "GPT-4o",
        128000,
        2.5,
    )
    assert records["openrouter/google/gemma-3-27b-it:free"]["cost_input"] == 0
    assert records["openrouter/anthropic/claude-x"]["cost_output"] == 15  # tiered: base price
    assert records["openrouter/qwen/qwen-x"]["cost_input"] == 3  # the price in force today


def test_the_same_data_gives_the_same_bytes(fake_genai_prices, tmp_path, monkeypatch):
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    call_command("build_openrouter_snapshot", output=str(first), stdout=io.StringIO())
    later = time.time() + 3600  # a rebuild an hour on: no timestamp in the bytes
    monkeypatch.setattr(time, "time", lambda: later)
    call_command("build_openrouter_snapshot", output=str(second), stdout=io.StringIO())
    assert first.read_bytes() == second.read_bytes()


def test_without_the_package_it_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "genai_prices", None)  # import fails
    with pytest.raises(CommandError, match="pip install genai-prices"):
        call_command("build_openrouter_snapshot", output=str(tmp_path / "x.json.gz"))
