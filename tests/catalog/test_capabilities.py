"""One capability list: every name is a model field, has a label, and is read from LiteLLM's
data the same way for catalog and platform models."""

from __future__ import annotations

import pytest

from catalog.costmap import capability_flags, per_million, record_for
from catalog.models import CAPABILITIES, CatalogModel, PlatformModel
from catalog.platform import _from_model_info
from catalog.templatetags.catalog_tags import cap_label


@pytest.mark.parametrize("model", [CatalogModel, PlatformModel])
def test_every_capability_is_a_boolean_field(model):
    for cap in CAPABILITIES:
        assert model._meta.get_field(f"supports_{cap}").get_internal_type() == "BooleanField"


def test_every_capability_has_its_own_label():
    labels = [cap_label(cap) for cap in CAPABILITIES]
    assert all(labels) and len(set(labels)) == len(labels)
    assert cap_label("function_calling") == "Tools"


def test_catalog_and_platform_read_the_same_flags_and_prices():
    entry = {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": 2.5e-06,
        "supports_vision": True,
        "supports_computer_use": True,
        "supports_reasoning": False,
    }
    catalog = record_for("openai/x", "openai", entry)
    platform = _from_model_info({"model_name": "dn/x", "model_info": entry})
    assert platform is not None
    for row in (catalog, platform):
        assert {k for k, v in row.items() if k.startswith("supports_") and v} == {
            "supports_vision",
            "supports_computer_use",
        }
        assert row["cost_input"] == pytest.approx(2.5)
    assert capability_flags({"supports_vision": "yes"})["supports_vision"] is False


@pytest.mark.parametrize("value", [None, True, "1", [1]])
def test_per_million_ignores_what_is_not_a_number(value):
    assert per_million(value) is None
