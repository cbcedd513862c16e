"""Rows seeded from the domain's knowledge base (digests.roles): dated roles and other names of people."""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

from digests.roles import Tenure, knowledge_base
from storage.names import name_key


@lru_cache(maxsize=1)
def _tenures_by_name() -> dict[str, tuple[Tenure, ...]]:
    found: dict[str, list[Tenure]] = defaultdict(list)
    for role in knowledge_base().roles.values():
        for tenure in role.tenures:
            found[tenure.name].append(tenure)
    return {name: tuple(sorted(ts, key=lambda t: t.start)) for name, ts in found.items()}


@lru_cache(maxsize=1)
def _aliases_by_name() -> dict[str, tuple[str, ...]]:
    # The knowledge base keeps aliases case-folded; the data file has them as written.
    raw = json.loads(resources.files("digests.data").joinpath("roles.json").read_text(encoding="utf-8"))
    people: dict[str, list[str]] = raw.get("people", {})
    return {name: tuple(a for a in aliases if name_key(a) != name_key(name)) for name, aliases in people.items()}


def knowledge_rows(people: dict[str, int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(person_roles rows, person_aliases rows) the knowledge base holds for these stored people."""
    tenures = _tenures_by_name()
    aliases = _aliases_by_name()
    role_rows: list[dict[str, Any]] = []
    alias_rows: list[dict[str, Any]] = []
    for name, pid in people.items():
        for tenure in tenures.get(name, ()):
            role = f"{tenure.role} (acting)" if tenure.acting else tenure.role
            role_rows.append({"person_id": pid, "role": role, "start_date": tenure.start, "end_date": tenure.end})
        for alias in aliases.get(name, ()):
            key = name_key(alias)
            if key:
                alias_rows.append({"person_id": pid, "alias": alias[:200], "key": key[:200]})
    return role_rows, alias_rows
