"""A Secret's mask reveals at most 4 characters and never more than a quarter of the value."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.crypto import mask

BULLET = "•"


def revealed(value: str) -> int:
    return len(mask(value).replace(BULLET, ""))


@settings(max_examples=300)  # cheap: more than the profile's default
@given(st.text(alphabet=st.characters(blacklist_characters=BULLET), max_size=300))
def test_at_most_four_characters_and_a_quarter_of_the_value(value):
    assert revealed(value) <= min(4, len(value) // 4)
    assert BULLET * 4 in mask(value)


def test_every_length_up_to_a_hundred():
    for length in range(101):
        value = "".join(chr(ord("a") + i % 26) for i in range(length))
        assert revealed(value) <= min(4, length // 4), (length, mask(value))
        shown = mask(value).replace(BULLET, " ").split()
        assert all(part in value for part in shown)


def test_long_values_keep_both_ends_for_recognition():
    assert mask("sk-proj-abcdefghijklmnop789") == "sk••••89"
