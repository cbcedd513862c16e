"""Memory for one parse: a remembered function runs once per text inside `parse_memory`, and as itself outside."""

from __future__ import annotations

import threading

from digests.memo import parse_memory, remembered_in_parse

calls: list[str] = []


@remembered_in_parse
def _words(text: str) -> list[str]:
    calls.append(text)
    return text.split()


def test_inside_a_parse_each_text_is_worked_on_once() -> None:
    calls.clear()
    with parse_memory():
        assert _words("a b") == ["a", "b"]
        assert _words("a b") == ["a", "b"]
        assert _words("c") == ["c"]
    assert calls == ["a b", "c"]


def test_outside_a_parse_nothing_is_remembered() -> None:
    calls.clear()
    _words("a b")
    _words("a b")
    assert calls == ["a b", "a b"]


def test_nothing_is_kept_from_one_parse_to_the_next() -> None:
    calls.clear()
    with parse_memory():
        _words("a b")
    with parse_memory():
        _words("a b")
    assert calls == ["a b", "a b"]


def test_a_caller_changing_its_list_does_not_change_what_others_get() -> None:
    with parse_memory():
        first = _words("a b")
        first.append("changed")
        assert _words("a b") == ["a", "b"]


def test_parses_in_other_threads_do_not_share_the_memory() -> None:
    calls.clear()
    with parse_memory():
        _words("shared?")
        thread = threading.Thread(target=_words, args=("shared?",))
        thread.start()
        thread.join()
    assert calls == ["shared?", "shared?"]
