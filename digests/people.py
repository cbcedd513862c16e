"""People named in a report, under canonical full names.

A person is found from a full name (two to four capitalised words, the first a known given name, or
marked as a person by a title, a post-nominal or a reporting verb), from a knowledge-base alias
("Lord Sainsbury", "Junker"), from a later first name or surname that points back to a full name in
the same report ("Tom Watson ... I asked Tom"), or from a role ("the General Secretary", "Harriet")
resolved through the holders of party roles on the meeting date. Organisations, places, committees
and publications never come out as people: a run of capitalised words with an organisation word in it
("Blue State Digital", "Brewer Street") is not a name.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from digests.given_names import common_given_names
from digests.matching import alternation_by_first_character, contains_any
from digests.memo import parse_dict, remembered_in_parse
from digests.model import PersonMention, Section
from digests.roles import KnowledgeBase, knowledge_base
from digests.sentences import normalise, split_sentences

log = logging.getLogger(__name__)

MAX_SENTENCES = 5
_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿ"
# A word, and the single space after it when the next word follows right on: what `_runs` reads (through
# `_name_chain`, which finds the same words), and what the tests' word-by-word scan of `_runs` uses.
_WORD_AND_GAP = re.compile(rf"([{_LETTERS}][{_LETTERS}'’\-]*)([ \u00a0](?=[{_LETTERS}]))?")
_POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
_POSSESSIVE_S = ("'s", "’s")
# The capitals of `_UPPER_START` as a set: one membership test per word instead of a regex call.
_CAPITALS = frozenset(chr(c) for c in [*range(ord("A"), ord("Z") + 1), *range(0xC0, 0xD7), *range(0xD8, 0xDF)])
_CAPITAL_LETTERS = "A-ZÀ-ÖØ-Þ"
_UPPER_START = re.compile(rf"[{_CAPITAL_LETTERS}]")
_LETTER = re.compile(rf"[{_LETTERS}]")
_NAME_TOKEN = re.compile(r"(?:Mc|Mac|O['’]|D['’])?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:['’\-][A-ZÀ-ÖØ-Þ]?[a-zà-öø-ÿ]+)*")
_PEERAGE_TITLES = frozenset({"Lord", "Baroness", "Lady", "Dame", "Sir"})
_ROLE_QUALIFIERS = frozenset(
    [
        "new",
        "next",
        "former",
        "previous",
        "future",
        "acting",
        "last",
        "ex",
        "shadow",
        "scottish",
        "welsh",
        "london",
        "regional",
        "local",
        "clp",
        "branch",
        "group",
        "council",
        "deputy",
        "vice",
        "assistant",
    ]
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The word lists of `digests/data/names.json`."""

    given_names: frozenset[str]
    non_name_words: frozenset[str]
    organisation_words: frozenset[str]
    stop_phrases: frozenset[str]
    stop_phrase_starts: frozenset[str]
    titles_before: frozenset[str]
    titles_after: frozenset[str]
    particles: frozenset[str]
    person_verbs: frozenset[str]
    surname_words: frozenset[str]
    stop_phrase_words: int
    name_chain: re.Pattern[str]  # see `_name_chain`
    run_breakers: frozenset[str]  # words at which `_split_run` splits a run or takes a word off it


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The name vocabulary from the package data, with the knowledge base's first names added."""
    raw = json.loads(resources.files("digests.data").joinpath("names.json").read_text(encoding="utf-8"))
    kb_given = {name.split()[0] for name in knowledge_base().known_names() if " " in name}
    titles_before = frozenset(t.rstrip(".") for t in raw["titles_before"])
    return Vocabulary(
        given_names=common_given_names() | kb_given,
        non_name_words=frozenset(raw["non_name_words"]),
        organisation_words=frozenset(w.casefold() for w in raw["organisation_words"]),
        stop_phrases=frozenset(_fold(p) for p in raw["stop_phrases"]),
        stop_phrase_starts=frozenset(_fold(p).split()[0] for p in raw["stop_phrases"] if _fold(p)),
        titles_before=titles_before,
        titles_after=frozenset(raw["titles_after"]),
        particles=frozenset(raw["particles"]),
        person_verbs=frozenset(raw["person_verbs"]),
        surname_words=frozenset(raw["surname_words"]),
        stop_phrase_words=max((len(_fold(p).split()) for p in raw["stop_phrases"]), default=0),
        name_chain=_name_chain(raw["particles"]),
        run_breakers=frozenset([*titles_before, *raw["titles_after"], *raw["non_name_words"], *raw["particles"], "of"]),
    )


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("&", " ").split()).casefold()


@dataclass(slots=True)
class NameCandidate:
    """A capitalised run that may name a person: a full name, a single word, or a titled name."""

    surface: str
    tokens: list[str]
    title: str | None = None
    post_title: str | None = None
    next_word: str = ""


def _runs(sentence: str, vocab: Vocabulary) -> Iterator[tuple[list[str], str]]:
    """Runs of capitalised words (with name particles inside) separated only by single spaces.

    Each run comes with the word right after it (when only a space separates them), so a reporting verb
    ("Tom Lillywhite presented") can show that the run names a person. A possessive ("Tom's") ends a run.
    """
    for words, following in _chains(sentence, vocab):
        yield from _chain_runs(words.split(), following, vocab)


def _chains(sentence: str, vocab: Vocabulary) -> list[tuple[str, str | None]]:
    """The chains of `_name_chain` in which runs can start: their words, and the word right after them."""
    # Speed: runs lie inside chains of capitalised words and particles one space apart, which the regex
    # engine finds without a Python step per word; only the chain's few words go through `_chain_runs`.
    found: list[tuple[str, str | None]] = []
    pos = 0
    while True:
        for chain in vocab.name_chain.finditer(sentence, pos):  # (the next search starts where a chain ends)
            start = chain.start()
            if start and sentence[start - 1] in _WORD_INNER and not _starts_word(sentence, start):
                pos = chain.end("first")  # a capital inside a word ("ex-Labour"): no run starts in that word
                break
            found.append((chain["words"], chain["following"]))
        else:
            return found


def _chain_runs(words: list[str], following: str | None, vocab: Vocabulary) -> Iterator[tuple[list[str], str]]:
    """The runs in a chain of words one space apart, given the word right after the chain (if any)."""
    run: list[str] = []
    closed = False  # after a possessive: the run is over even if a capitalised word follows
    for word in words:
        text, possessive = _word_text(word)
        capital = word[0] in _CAPITALS
        if run and not closed and (capital or text in vocab.particles or (text == "of" and run[0] in _PEERAGE_TITLES)):
            run.append(text)
        else:
            if run:
                yield run, "" if closed else text
            run, closed = ([text], False) if capital else ([], False)
        if possessive and run:
            closed = True
    if run:
        yield run, _word_text(following)[0] if following and not closed else ""


# The last characters of the words that `_word_text` changes.
_MARKED_ENDINGS = frozenset("'’s-")


def _word_text(word: str) -> tuple[str, bool]:
    """A word without its possessive ending and trailing hyphens, and whether it had that ending."""
    if word[-1] not in _MARKED_ENDINGS:
        return word, False  # most words: one test instead of two suffix tests and a strip
    possessive = len(word) > 2 and word.endswith(_POSSESSIVE_ENDINGS)
    if possessive:
        word = word[:-2] if word.endswith(_POSSESSIVE_S) else word[:-1]
    return word.strip("-"), possessive


# Characters that continue a word of `_WORD_AND_GAP` without being able to start one.
_WORD_INNER = frozenset("'’-")


def _starts_word(sentence: str, pos: int) -> bool:
    """Whether a word of `_WORD_AND_GAP` starts at `pos` (a letter there assumed).

    A word starts at the first letter of a stretch of letters, apostrophes and hyphens: a capital after a
    letter in such a stretch ("McDonald", "O'Brien") is inside a word, not at its start.
    """
    before = pos - 1
    while before >= 0 and sentence[before] in _WORD_INNER:
        before -= 1
    return before < 0 or not _LETTER.match(sentence[before])


def _name_chain(particles: Iterable[str]) -> re.Pattern[str]:
    """Capitalised words and words that are particles (or "of"), one space or no-break space apart, and the
    word right after them: every run of `_runs` lies in one such chain. A particle word may end in hyphens
    and a possessive, which `_word_text` takes off; more words may match than can join a run, none fewer.
    """
    inner = rf"[{_LETTERS}'’\-]"
    capitalised = rf"[{_CAPITAL_LETTERS}]{inner}*+"
    particle = rf"(?:{alternation_by_first_character(sorted({*particles, 'of'}))})-*+(?:['’]s?)?(?!{inner})"
    # The first capital is matched before the look back at the letter ahead of it, so that the engine can
    # skip from capital to capital instead of trying the whole pattern at every character.
    first = rf"[{_CAPITAL_LETTERS}](?<![{_LETTERS}].){inner}*+"
    return re.compile(
        rf"(?P<words>(?P<first>{first})(?:[ \u00a0](?:{capitalised}|{particle}))*+)"
        rf"(?:[ \u00a0](?P<following>[{_LETTERS}]{inner}*+))?"
    )


@remembered_in_parse
def name_candidates(sentence: str) -> list[NameCandidate]:
    """The possible person names in one sentence, organisations and places already left out."""
    vocab = vocabulary()
    # Speed: a report writes the same chains ("The NEC agreed", a member's name) in many sentences, and a
    # chain's candidates depend on its words alone but for the word after it, which only becomes the last
    # candidates' `next_word`: the candidates of a chain's words are worked out once in a parse, and those
    # of each word after them made from them.
    remembered, remembered_words = parse_dict(_chains), parse_dict(_chain_candidates)
    known: dict[tuple[str, str | None], list[NameCandidate]] = {} if remembered is None else remembered
    known_words: dict[str, list[NameCandidate]] = {} if remembered_words is None else remembered_words
    out: list[NameCandidate] = []
    for key in _chains(sentence, vocab):
        found = known.get(key)
        if found is None:
            words, following = key
            template = known_words.get(words)
            if template is None:
                template = known_words[words] = _chain_candidates(words, _FOLLOWING, vocab)
            next_word = _word_text(following)[0] if following else ""
            found = known[key] = [
                NameCandidate(c.surface, c.tokens, c.title, c.post_title, next_word) if c.next_word is _FOLLOWING else c
                for c in template
            ]
        out.extend(found)
    return out


# Stands for the word after a chain in `_chain_candidates`: no word of a sentence is this very object.
_FOLLOWING = "(the word after the chain)"


def _chain_candidates(words: str, following: str | None, vocab: Vocabulary) -> list[NameCandidate]:
    """The candidates of the runs in one chain of `_runs` (its words, and the word right after it)."""
    out: list[NameCandidate] = []
    for run, next_word in _chain_runs(words.split(), following, vocab):
        while run and (run[-1] in vocab.particles or run[-1] == "of"):
            run = run[:-1]
        if not run:
            continue
        surface = " ".join(run)
        # Folded all at once: run words hold no space, and case folding neither makes nor needs one.
        if not vocab.organisation_words.isdisjoint(surface.casefold().split(" ")):
            continue
        if _has_stop_phrase(surface, vocab):
            continue
        if vocab.run_breakers.isdisjoint(run) and not any(map(str.isupper, run)):
            # The usual run: nothing to split off, so one candidate of all its words.
            out.append(NameCandidate(surface, run, None, None, next_word))
        else:
            out.extend(_split_run(run, next_word, vocab))
    return out


def _has_stop_phrase(surface: str, vocab: Vocabulary) -> bool:
    """Whether some stretch of the run is a known non-person name (set lookups: runs are short)."""
    folded = surface.replace("’", "'").casefold().split(" ")  # `_fold` of each word: they hold no space or "&"
    if vocab.stop_phrase_starts.isdisjoint(folded):
        return False  # the usual case: no word of the run can start a stop phrase
    longest = min(len(folded), vocab.stop_phrase_words)
    return any(
        " ".join(folded[i : i + n]) in vocab.stop_phrases
        for n in range(1, longest + 1)
        for i in range(len(folded) - n + 1)
    )


def _split_run(run: list[str], next_word: str, vocab: Vocabulary) -> list[NameCandidate]:
    """Sub-runs between non-name words; titles before a name and post-nominals after it are kept apart."""
    parts: list[NameCandidate] = []
    current: list[str] = []
    title: str | None = None

    def flush(post: str | None = None, following: str = "") -> None:
        nonlocal current, title
        if current:
            parts.append(NameCandidate(" ".join(current), current, title, post, following))
        current, title = [], None

    for i, tok in enumerate(run):
        following = run[i + 1] if i + 1 < len(run) else next_word
        if tok in vocab.titles_after or tok.rstrip(".") in vocab.titles_after:
            flush(tok, following)
            continue
        if tok.rstrip(".") in vocab.titles_before and not current:
            title = tok.rstrip(".")
            continue
        keep_as_surname = bool(current) and tok in vocab.surname_words
        if tok.isupper() and len(tok) > 1:
            flush(None, tok)
            continue
        if tok in vocab.non_name_words and not keep_as_surname:
            flush(None, tok)
            title = None
            continue
        if tok in vocab.particles or tok == "of":
            if current:
                current.append(tok)
            continue
        current.append(tok)
    flush(None, next_word)
    return parts


@dataclass(slots=True)
class _Person:
    name: str
    mentions: int = 0
    aliases: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    order: int = 0

    def add(self, surface: str | None, sentence: str | None) -> None:
        self.mentions += 1
        if surface and surface != self.name and surface not in self.aliases:
            self.aliases.append(surface)
        if sentence and len(self.sentences) < MAX_SENTENCES and sentence not in self.sentences:
            self.sentences.append(sentence)


def full_name(candidate: NameCandidate, kb: KnowledgeBase, vocab: Vocabulary) -> str | None:
    """The canonical full name a candidate stands for, or None when it is not (certainly) a full name."""
    name, needs_verb = _full_name_parts(candidate, kb, vocab)
    return None if needs_verb and candidate.next_word not in vocab.person_verbs else name


def _full_name_parts(candidate: NameCandidate, kb: KnowledgeBase, vocab: Vocabulary) -> tuple[str | None, bool]:
    """`full_name` but for the word after the candidate: the name, and whether it is one only when that
    word is a reporting verb ("Zephyrine Tolliver presented"). Depends on the surface, title and post-title."""
    tokens = candidate.tokens
    if candidate.title:
        titled = kb.canonical(f"{candidate.title} {candidate.surface}")
        if titled:
            return titled, False
    known = kb.canonical(candidate.surface)
    if known and len(tokens) >= 2:
        return known, False
    if "of" in tokens:
        tokens = tokens[: tokens.index("of")]
    while tokens and tokens[0] in vocab.particles:
        tokens = tokens[1:]
    if len(tokens) == 1 and candidate.title in _PEERAGE_TITLES and candidate.title not in ("Lady",):
        return (f"{candidate.title} {tokens[0]}" if _NAME_TOKEN.fullmatch(tokens[0]) else None), False
    if not 2 <= len(tokens) <= 4:
        return None, False
    if not all(_NAME_TOKEN.fullmatch(t) for t in tokens if t not in vocab.particles):
        return None, False
    if tokens[0] in vocab.surname_words and tokens[0] not in vocab.given_names:
        return None, False
    person_like = tokens[0] in vocab.given_names or candidate.title is not None or candidate.post_title is not None
    name = " ".join(tokens)
    return kb.canonical(name) or name, not person_like


def _full_names_in_parse() -> dict[tuple[str, str | None, str | None], tuple[str | None, bool]]:
    """`_full_name_parts` of each (surface, title, post-title) met in this parse: a name recurs in many
    sentences, after many words (the surface holds the tokens)."""
    remembered = parse_dict(_full_name_parts)
    return {} if remembered is None else remembered


def _remembered_full_name(
    candidate: NameCandidate,
    known: dict[tuple[str, str | None, str | None], tuple[str | None, bool]],
    kb: KnowledgeBase,
    vocab: Vocabulary,
) -> str | None:
    """`full_name`, with the part that does not depend on the word after the candidate looked up in `known`."""
    key = (candidate.surface, candidate.title, candidate.post_title)
    parts = known.get(key)
    if parts is None:
        parts = known[key] = _full_name_parts(candidate, kb, vocab)
    name, needs_verb = parts
    return None if needs_verb and candidate.next_word not in vocab.person_verbs else name


def names_in(text: str) -> list[str]:
    """Canonical full names written out in `text` (no back-references), in order of appearance."""
    kb, vocab = knowledge_base(), vocabulary()
    known = _full_names_in_parse()
    out: list[str] = []
    for sentence in split_sentences(text):
        for cand in name_candidates(sentence):
            name = _remembered_full_name(cand, known, kb, vocab)
            if name is None and len(cand.tokens) == 1:
                alias = kb.canonical(f"{cand.title} {cand.surface}" if cand.title else cand.surface)
                name = alias if alias and " " in alias else None
            if name and name not in out:
                out.append(name)
    return out


@dataclass(frozen=True, slots=True)
class _RolePhrases:
    """The in-text role phrases as one pattern, the role each phrase stands for, and anchors: words one of
    which every phrase contains, so a sentence holding none of them cannot refer to a role."""

    pattern: re.Pattern[str]
    role_of: dict[str, str]
    anchors: tuple[str, ...]


@lru_cache(maxsize=1)
def _role_phrases() -> _RolePhrases:
    """One pattern for every in-text role phrase ("the General Secretary", "Deputy Leader's report")."""
    kb = knowledge_base()
    phrase_role: dict[str, str] = {}
    for role in kb.roles.values():
        if not role.in_text:
            continue
        for ref in (role.name, *role.refs):
            if ref.casefold().startswith("our "):
                continue
            variants = {ref} if ref.isupper() else {ref, ref.lower(), ref[:1].upper() + ref[1:].lower()}
            for v in variants:
                phrase_role[v] = role.name
    alternatives = alternation_by_first_character(sorted(phrase_role, key=len, reverse=True))
    pattern = re.compile(
        rf"\b(?:(?P<det>[Tt]he|[Oo]ur)\s+(?:(?:Labour|Party|party)\s+)?)?(?P<ref>{alternatives})"
        r"(?P<poss>['’]s|s)?(?P<report>\s+[Rr]eport)?\b"
    )
    return _RolePhrases(pattern, phrase_role, tuple(_anchors(list(phrase_role))))


def _anchors(phrases: list[str]) -> list[str]:
    """A few words such that every phrase contains one: the shortest phrases first, each adding its longest
    word unless it already holds an anchor ("Leader" covers "Deputy Leader of the Labour Party"); of words
    as long, the last ("Sec" for "Gen Sec": "gen" is in far more words, as in "agenda")."""
    anchors: list[str] = []
    for phrase in sorted(phrases, key=len):
        if not any(anchor in phrase for anchor in anchors):
            anchors.append(max(reversed(phrase.split()), key=len))
    return anchors


def role_references(sentence: str) -> Iterator[str]:
    """Roles the sentence refers to by title ("the General Secretary", "Leader's report"), not by name."""
    phrases = _role_phrases()
    # Speed: the pattern opens with a word boundary, so the engine tries it at every character; most
    # sentences name no role, and a few substring tests show that far more cheaply.
    if not contains_any(sentence, phrases.anchors):
        return
    for m in phrases.pattern.finditer(sentence):
        ref = m.group("ref")
        if not (m.group("det") or m.group("report")):
            continue
        if m.group("poss") == "s" and not m.group("report"):
            continue  # "the Leaders" is a plural, not the Leader
        tail = sentence[m.end() : m.end() + 4]
        if tail.startswith(" of") and not m.group("report"):
            continue  # "the Leader of the Scottish Labour Party" is another role
        head = sentence[max(0, m.start() - 20) : m.start()].split()
        if head and head[-1].casefold().strip("(,") in _ROLE_QUALIFIERS:
            continue
        yield phrases.role_of[ref]


def extract_people(
    sections: list[Section], *, title: str | None, authors: list[str], meeting_date: date | None
) -> list[PersonMention]:
    """People named in the report body under canonical full names, most mentioned first."""
    kb, vocab = knowledge_base(), vocabulary()
    sentences: list[str] = []
    if title:
        sentences.extend(split_sentences(title))
    for section in sections:
        if section.heading:
            sentences.extend(split_sentences(section.heading))
        sentences.extend(split_sentences(section.text or "\n".join(section.items)))

    people: dict[str, _Person] = {}

    def person(name: str) -> _Person:
        if name not in people:
            people[name] = _Person(name, order=len(people))
        return people[name]

    # Pass 1: full names and knowledge-base aliases.
    singles: list[tuple[NameCandidate, str]] = []
    known = _full_names_in_parse()
    for sentence in sentences:
        for cand in name_candidates(sentence):
            name = _remembered_full_name(cand, known, kb, vocab)
            if name is not None:
                surface = f"{cand.title} {cand.surface}" if cand.title else cand.surface
                if cand.post_title:
                    surface = f"{surface} {cand.post_title}"
                person(name).add(surface, sentence)
            elif len(cand.tokens) == 1:
                singles.append((cand, sentence))
    for author in authors:
        tokens = normalise(author).split()
        if 2 <= len(tokens) <= 4 and all(_UPPER_START.match(t) for t in tokens):
            name = kb.canonical(" ".join(tokens)) or " ".join(tokens)
            if name not in people:
                person(name).add(None, None)

    # Pass 2: first names, surnames and roles pointing back to someone.
    holders = kb.holders_on(meeting_date) if meeting_date else []
    holder_names = {name for _, name in holders}
    by_word = _name_index(n for n in people if " " in n)
    by_word_held = _name_index(holder_names)
    resolved: dict[tuple[str | None, str], str | None] = {}  # the same word resolves the same way throughout
    for cand, sentence in singles:
        key = (cand.title, cand.surface)
        if key not in resolved:
            resolved[key] = _resolve_single(cand, people, by_word, by_word_held, holder_names, kb, vocab)
        name = resolved[key]
        if name:
            surface = f"{cand.title} {cand.surface}" if cand.title else cand.surface
            person(name).add(surface, sentence)
    if meeting_date:
        # The role phrases' anchor words looked for once in all the sentences, then each sentence only for
        # those present (often none): most sentences name no role. (No anchor holds a line break.)
        everything = "\n".join(sentences)
        anchors = tuple(anchor for anchor in _role_phrases().anchors if anchor in everything)
        for sentence in sentences if anchors else ():
            if not contains_any(sentence, anchors):
                continue
            for role in role_references(sentence):
                name = kb.holder(role, on=meeting_date)
                if name:
                    p = person(name)
                    p.add(None, sentence)
                    if role not in p.roles:
                        p.roles.append(role)
    roles_of: dict[str, list[str]] = {}  # `kb.roles_held` of each holder of the day, from one walk of the tenures
    for role, holder_name in holders:
        roles_of.setdefault(holder_name, []).append(role)
    for name, p in people.items():
        for role in roles_of.get(name, []):
            if role not in p.roles:
                p.roles.append(role)

    ordered = sorted(people.values(), key=lambda p: (-p.mentions, p.order))
    return [PersonMention(p.name, max(p.mentions, 1), p.aliases, p.sentences, p.roles) for p in ordered]


def _name_index(names: Iterable[str]) -> dict[str, list[str]]:
    """First name and surname -> the full names that start or end with it."""
    index: dict[str, list[str]] = {}
    for name in names:
        parts = name.split()
        for word in {parts[0], parts[-1]}:
            index.setdefault(word, []).append(name)
    return index


def _resolve_single(
    cand: NameCandidate,
    people: dict[str, _Person],
    by_word: dict[str, list[str]],
    by_word_held: dict[str, list[str]],
    holder_names: set[str],
    kb: KnowledgeBase,
    vocab: Vocabulary,
) -> str | None:
    """The person a lone first name or surname points to: an alias, someone named in full, or a role holder."""
    word = cand.surface
    if cand.title:
        alias = kb.canonical(f"{cand.title} {word}")
        if alias:
            return alias
    alias = kb.canonical(word)
    if alias and " " in alias:
        return alias
    if word in vocab.non_name_words or not _NAME_TOKEN.fullmatch(word):
        return None
    named = by_word.get(word, [])
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        holders = [n for n in named if n in holder_names]
        if len(holders) == 1:
            return holders[0]
        return max(named, key=lambda n: (people[n].mentions, -people[n].order))
    held = by_word_held.get(word, [])
    if len(held) == 1 and (word in vocab.given_names or word == held[0].split()[-1]):
        return held[0]
    return None
