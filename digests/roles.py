"""Knowledge of who held which Labour Party role when, and the other names people go by.

The facts live in `digests/data/roles.json`; this module loads them once and answers typed questions:
`holder("General Secretary", on=date(2013, 5, 21))` -> "Iain McNicol", `canonical("Lord Sainsbury")` ->
"David Sainsbury".
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Tenure:
    """One holder of one role from `start` to `end` (None: still in post)."""

    role: str
    name: str
    start: date
    end: date | None
    acting: bool = False

    def covers(self, on: date) -> bool:
        """Whether the holder was in post on that day (the hand-over day counts for the newcomer)."""
        return self.start <= on and (self.end is None or on < self.end)


@dataclass(frozen=True, slots=True)
class Role:
    """A party role, the phrases reports use for it, and its holders in date order."""

    name: str
    refs: tuple[str, ...]
    in_text: bool
    tenures: tuple[Tenure, ...]


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Roles with their holders, and canonical names with their aliases."""

    roles: dict[str, Role]
    aliases: dict[str, str]  # casefolded alias or canonical name -> canonical name

    def role(self, role: str) -> Role | None:
        """The role named `role` or referred to by one of its phrases ("GS", "NPF Chair")."""
        key = _fold(role)
        for found in self.roles.values():
            if _fold(found.name) == key or any(_fold(ref) == key for ref in found.refs):
                return found
        return None

    def holder(self, role: str, *, on: date) -> str | None:
        """Who held `role` on that day; a substantive holder wins over an acting one."""
        found = self.role(role)
        if found is None:
            return None
        in_post = [t for t in found.tenures if t.covers(on)]
        in_post.sort(key=lambda t: t.acting)
        return in_post[0].name if in_post else None

    def roles_held(self, name: str, *, on: date) -> list[str]:
        """The roles `name` (canonical) held on that day."""
        return [r.name for r in self.roles.values() for t in r.tenures if t.name == name and t.covers(on)]

    def holders_on(self, on: date) -> list[tuple[str, str]]:
        """Every (role, holder) pair in post on that day."""
        return [(r.name, t.name) for r in self.roles.values() for t in r.tenures if t.covers(on)]

    def canonical(self, alias: str) -> str | None:
        """The canonical name for an alias, misspelling, peerage title or canonical name; None if unknown."""
        return self.aliases.get(_fold(alias))

    def known_names(self) -> set[str]:
        """Every canonical name the knowledge base knows."""
        return set(self.aliases.values())


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def _parse_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The knowledge base from the package data (loaded once)."""
    raw = json.loads(resources.files("digests.data").joinpath("roles.json").read_text(encoding="utf-8"))
    roles: dict[str, Role] = {}
    aliases: dict[str, str] = {}
    for role_name, spec in raw["roles"].items():
        tenures = []
        for h in spec["holders"]:
            start = _parse_date(h["start"])
            if start is None:
                log.warning("roles.json: %s holder %s has no start date; skipped", role_name, h.get("name"))
                continue
            tenures.append(Tenure(role_name, h["name"], start, _parse_date(h.get("end")), bool(h.get("acting"))))
            aliases.setdefault(_fold(h["name"]), h["name"])
        tenures.sort(key=lambda t: t.start)
        roles[role_name] = Role(role_name, tuple(spec.get("refs", [])), bool(spec.get("in_text")), tuple(tenures))
    for name, names in raw["people"].items():
        aliases[_fold(name)] = name
        for alias in names:
            aliases[_fold(alias)] = name
    return KnowledgeBase(roles, aliases)


def holder(role: str, *, on: date) -> str | None:
    """Who held the party role `role` (its name or a phrase for it) on that day, if known."""
    return knowledge_base().holder(role, on=on)


def canonical(alias: str) -> str | None:
    """The canonical full name behind an alias, misspelling or title ("Lord Sainsbury"), if known."""
    return knowledge_base().canonical(alias)
