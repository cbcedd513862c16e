"""Typed slash commands parse the way a member types them in Discord."""

from __future__ import annotations

import pytest

from bot.slash import parse_slash
from digests.errors import UserFacingError


def test_free_text_goes_to_first_option() -> None:
    assert parse_slash("/who Ann Black").options == {"name": "Ann Black"}
    assert parse_slash("/decisions 2013").options == {"year": "2013"}


def test_named_options_are_split() -> None:
    cmd = parse_slash("/decisions year:2013 topic:rules and constitution person:Ann Black")
    assert cmd.options == {"year": "2013", "topic": "rules and constitution", "person": "Ann Black"}


def test_hostile_search_text_is_kept_verbatim() -> None:
    assert parse_slash('/search "AND(').options == {"query": '"AND('}


def test_unknown_command_is_a_clear_error() -> None:
    with pytest.raises(UserFacingError, match="Unknown command /frobnicate"):
        parse_slash("/frobnicate now")


def test_text_without_slash_is_refused() -> None:
    with pytest.raises(UserFacingError):
        parse_slash("who Ann Black")
