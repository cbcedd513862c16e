"""Resolving a typed name to a stored person: exact, alias, prefix or surname, then typo-tolerant.

Plain synchronous functions on a `Session`: async callers run them with `AsyncSession.run_sync`
or `storage.db.run_read`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import CompoundSelect, Select, String, bindparam, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from digests.errors import NotFound, UserFacingError
from storage import models as m
from storage.names import name_key

FUZZY_ACCEPT = 88
FUZZY_SUGGEST = 60
MAX_FUZZY_ROWS = 20_000
MIN_FUZZY_KEY = 4


def like_escape(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (used with escape='\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@lru_cache(maxsize=1)
def _totals_statement() -> Select[Any]:
    # Statements are built once with their values bound at execution: SQLAlchemy remembers a
    # statement object's cache key, so a /who does not build and walk them again (a sixth of its time).
    return (
        select(m.ReportPerson.person_id, func.sum(m.ReportPerson.mentions))
        .where(m.ReportPerson.person_id.in_(bindparam("ids", expanding=True)))
        .group_by(m.ReportPerson.person_id)
    )


def _mention_totals(session: Session, person_ids: list[int]) -> dict[int, int]:
    if not person_ids:
        return {}
    rows = session.execute(_totals_statement(), {"ids": person_ids})
    return {pid: int(total or 0) for pid, total in rows.tuples()}


def _most_mentioned(session: Session, person_ids: list[int]) -> int:
    totals = _mention_totals(session, person_ids)
    return max(person_ids, key=lambda pid: (totals.get(pid, 0), -pid))


@lru_cache(maxsize=8)
def _prefix_statement(limit: int) -> CompoundSelect[Any]:
    starts, word_starts = bindparam("starts", type_=String()), bindparam("word_starts", type_=String())
    by_name = (
        select(m.Person.id, m.Person.name)
        .where(or_(m.Person.key.like(starts, escape="\\"), m.Person.key.like(word_starts, escape="\\")))
        .limit(limit)
    )
    by_alias = (
        select(m.Person.id, m.Person.name)
        .join(m.PersonAlias, m.PersonAlias.person_id == m.Person.id)
        .where(m.PersonAlias.key.like(starts, escape="\\"))
        .limit(limit)
    )
    # One round trip; names before aliases (the first part of the union comes first).
    return union_all(
        select(literal_column("0").label("part"), by_name.subquery()),
        select(literal_column("1").label("part"), by_alias.subquery()),
    ).order_by(literal_column("part"), literal_column("id"))


def prefix_matches(session: Session, key: str, *, limit: int) -> list[tuple[int, str]]:
    """(id, name) of people whose name or alias starts with `key` or has a word starting with it."""
    pattern = like_escape(key)
    seen: dict[int, str] = {}
    params = {"starts": f"{pattern}%", "word_starts": f"% {pattern}%"}
    for _, pid, name in session.execute(_prefix_statement(limit), params).tuples():
        seen.setdefault(pid, name)
    return list(seen.items())


def fuzzy_matches(session: Session, key: str, *, limit: int, cutoff: float) -> list[tuple[int, str, float]]:
    """(id, name, score) of people whose name, surname or alias is close to `key` despite typos.

    Plain edit-distance ratio on whole keys: partial-match scorers would let a short alias ("ed")
    match any longer word that contains it.
    """
    from rapidfuzz import fuzz, process

    names = select(m.Person.id, m.Person.name, m.Person.key).limit(MAX_FUZZY_ROWS)
    aliases = (
        select(m.PersonAlias.person_id, m.Person.name, m.PersonAlias.key)
        .join(m.Person, m.Person.id == m.PersonAlias.person_id)
        .limit(MAX_FUZZY_ROWS)
    )
    # Names and aliases in one round trip, names first.
    both = union_all(
        select(literal_column("0").label("part"), names.subquery()),
        select(literal_column("1").label("part"), aliases.subquery()),
    ).order_by(literal_column("part"), literal_column("id"))
    entries: list[tuple[int, str, str]] = []
    for part, pid, name, key_ in session.execute(both).tuples():
        if part == 1:
            if len(key_) >= MIN_FUZZY_KEY:
                entries.append((pid, name, key_))
            continue
        entries.append((pid, name, key_))
        surname = key_.rsplit(" ", 1)[-1]
        if surname != key_ and len(surname) >= MIN_FUZZY_KEY:
            entries.append((pid, name, surname))
    if not entries:
        return []
    keys = [entry[2] for entry in entries]
    best: dict[int, tuple[str, float]] = {}
    for _, score, index in process.extract(key, keys, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=cutoff):
        pid, name, _ = entries[index]
        if pid not in best or best[pid][1] < score:
            best[pid] = (name, float(score))
    ranked = sorted(best.items(), key=lambda item: -item[1][1])[:limit]
    return [(pid, name, score) for pid, (name, score) in ranked]


@lru_cache(maxsize=1)
def _exact_statement() -> Select[tuple[m.Person]]:
    """People with exactly this name or alias, in one round trip (`resolve_person` prefers the name)."""
    key = bindparam("key", type_=String())
    alias_of = select(m.PersonAlias.person_id).where(m.PersonAlias.key == key)
    return select(m.Person).where(or_(m.Person.key == key, m.Person.id.in_(alias_of))).order_by(m.Person.id).limit(50)


def resolve_person(session: Session, typed: str) -> m.Person:
    """The person `typed` names; NotFound with close names when nobody fits."""
    key = name_key(typed)
    if not key:
        raise UserFacingError("Give a name, e.g. Ann Black.")
    found = session.scalars(_exact_statement(), {"key": key}).all()
    exact = next((person for person in found if person.key == key), None)
    if exact is not None:
        return exact
    if found:
        most = _most_mentioned(session, [person.id for person in found])
        return next(person for person in found if person.id == most)
    candidates = [pid for pid, _ in prefix_matches(session, key, limit=50)]
    if candidates:
        chosen = session.get(m.Person, _most_mentioned(session, candidates))
        if chosen is not None:
            return chosen
    fuzzy = fuzzy_matches(session, key, limit=5, cutoff=FUZZY_SUGGEST)
    if fuzzy and fuzzy[0][2] >= FUZZY_ACCEPT and (len(fuzzy) == 1 or fuzzy[0][2] > fuzzy[1][2]):
        chosen = session.get(m.Person, fuzzy[0][0])
        if chosen is not None:
            return chosen
    raise NotFound(f"No one called {typed.strip()[:80]} in the reports.", suggestions=[name for _, name, _ in fuzzy])
