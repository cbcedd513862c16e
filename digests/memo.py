"""Memory for one parse: work done on a text once is not done again while the same report is parsed.

Decisions and people split the same section texts into sentences and look for names in the same sentences;
inside `parse_report` each is done once. Outside a parse (a test calling `extract_people`, the digest
builder) the functions run as they are. The memory lives in a context variable, so parses running at the
same time in other threads never share it, and it is dropped when the parse ends: nothing is kept from
one report to the next.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memory: ContextVar[dict[Callable[..., Any], dict[Any, Any]] | None] = ContextVar("parse_memory", default=None)


@contextmanager
def parse_memory() -> Iterator[None]:
    """Remember the results of `remembered_in_parse` functions until the block ends."""
    token = _memory.set({})
    try:
        yield
    finally:
        _memory.reset(token)


def parse_dict(owner: Callable[..., Any]) -> dict[Any, Any] | None:
    """The dict that `owner` keeps its own remembered results in during this parse; None outside a parse.

    For results that are not a function of one text (`remembered_in_parse` covers those)."""
    memory = _memory.get()
    return None if memory is None else memory.setdefault(owner, {})


def remembered_in_parse(func: Callable[[str], list[T]]) -> Callable[[str], list[T]]:
    """Decorate a pure function of one text: inside `parse_memory` its result for a text is computed once.

    Callers get a fresh list each time, so one caller changing it cannot change what another sees.
    """

    @functools.wraps(func)
    def wrapper(text: str) -> list[T]:
        memory = _memory.get()
        if memory is None:
            return func(text)
        results: dict[str, list[T]] = memory.setdefault(func, {})
        found = results.get(text)
        if found is None:
            found = results[text] = func(text)
        return list(found)

    return wrapper


def remembered_value_in_parse(func: Callable[[str], T]) -> Callable[[str], T]:
    """`remembered_in_parse` for a function whose results are never changed (None, dates, strings): the one
    result is handed to every caller."""
    missing = object()

    @functools.wraps(func)
    def wrapper(text: str) -> T:
        memory = _memory.get()
        if memory is None:
            return func(text)
        results: dict[str, T] = memory.setdefault(func, {})
        found = results.get(text, missing)
        if found is missing:
            found = results[text] = func(text)
        return found  # type: ignore[return-value]

    return wrapper
