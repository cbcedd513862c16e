"""What the NEC or one of its committees decided, with vote tallies.

A decision is a sentence (or clause) in which the NEC, "we" or a committee agreed, approved, endorsed,
voted, resolved, proscribed, deferred, appointed or elected something: first person plural ("We agreed
..."), passive ("It was agreed ...", "... and this was agreed"), reported ("The NEC agreed by 14 votes to
10 to ...", "The Organisation Sub-committee agreed ..."), or a request granted ("I requested a review
... and was pleased to secure agreement to this"). Reports, discussions, things noted, election results
and what other bodies (conference, MEPs, a council) did are not decisions. A tally in a following
sentence ("This was passed by 19 votes to 11.") belongs to the decision before it; a plural decision
("we voted to proscribe three organisations") followed by one tallied paragraph per item becomes one
decision per item.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from digests.matching import alternation_by_first_character, ascii_lower, contains_any, word_alternation
from digests.model import Decision, Section, Tally
from digests.people import names_in
from digests.sentences import split_sentences
from digests.tallies import find_tally
from digests.topics import assign_topics

log = logging.getLogger(__name__)

MAX_SUBJECT = 120
_WINDOW = 200  # characters looked at either side of a decision verb; keeps the work linear
_TAIL = 90  # characters before a verb in which its subject and auxiliaries are looked for

# Each decision verb and the forms it counts in: "passive" after its subject and was/were ("the
# motion was carried"), "active" after the body that acted ("the NEC agreed"). "fell" counts only
# as a defeat (handled with _DEFEAT_VERBS below).
_VERB_FORMS: dict[str, tuple[str, ...]] = {
    "agreed": ("passive", "active"),
    "approved": ("passive", "active"),
    "endorsed": ("passive", "active"),
    "voted": ("active",),
    "resolved": ("passive", "active"),
    "decided": ("passive", "active"),
    "proscribed": ("passive", "active"),
    "deferred": ("passive", "active"),
    "appointed": ("passive", "active"),
    "re-elected": ("passive", "active"),
    "elected": ("passive", "active"),
    "adopted": ("passive", "active"),
    "ratified": ("passive", "active"),
    "accepted": ("active",),
    "rejected": ("passive", "active"),
    "carried": ("passive", "active"),
    "passed": ("passive", "active"),
    "renamed": ("passive",),
    "backed": ("active",),
    "supported": ("active",),
    "confirmed": ("passive", "active"),
    "upheld": ("passive", "active"),
    "defeated": ("passive",),
    "lost": ("passive",),
    "fell": (),
}
_VERBS = tuple(_VERB_FORMS)
_VERB = re.compile(rf"\b({alternation_by_first_character(_VERBS)})\b")
_PASSIVE_VERBS = frozenset(verb for verb, forms in _VERB_FORMS.items() if "passive" in forms)
_ACTIVE_VERBS = frozenset(verb for verb, forms in _VERB_FORMS.items() if "active" in forms)
_DEFEAT_VERBS = frozenset({"defeated", "lost", "fell"})
_PUT_TO_VOTE = re.compile(
    r"\b(?:motions?|amendments?|proposals?|propositions?|resolutions?|recommendations?|rule changes?)\b", re.I
)
_VOTE_NOUN = re.compile(r"\bvote\b", re.I)
_FUTURE_PASSIVE = re.compile(r"\b(?:will|would|may|might|could|should|to|can|shall)\s+be\s+\S*\s*$")
_OTHER_BODY = re.compile(
    r"\b(?:council|conference|parliament|commons|lords|government|MEPs?|MPs?|PLP|TUC|union)\b", re.I
)
_MINUTED = re.compile(
    r"^\s*(?:Agreed|AGREED|Resolved|RESOLVED|Decided|Decision)\s*[:–—-]\s*(?:that\s+)?(?P<what>\S.+)$"
)
_MINUTED_FIRST_LETTERS = frozenset("ARD")  # the first letters of `_MINUTED`'s words, after white space
_ELECTION_VERBS = frozenset({"appointed", "elected", "re-elected"})
_ADVERBS = (
    r"(?:also|then|finally|duly|unanimously|formally|subsequently|later|eventually|narrowly|overwhelmingly|"
    r"further|therefore|instead|again|jointly|collectively|all|both|however|now|already|quickly|today)"
)
_AUX_WORDS = ["was", "were", "is", "are", "been", "be", "being"]
_AUX = rf"(?:{'|'.join(_AUX_WORDS)})"
_PASSIVE_TAIL = re.compile(rf"(?:{word_alternation(_AUX_WORDS)})\s+(?:{_ADVERBS}\s+)*$")  # "\b{_AUX}\s+...", faster
_RELATIVE_PASSIVE = re.compile(rf"\b(?:that|who|whoever|whom)\s+(?:had\s+|has\s+|have\s+)?{_AUX}\s+(?:{_ADVERBS}\s+)*$")
_HYPOTHETICAL = re.compile(
    rf"(?:\b(?:supposed\s+to|should|could|might|must|ought\s+to|if|unless|not|never)\s+(?:have\s+)?"
    rf"|\b(?:would|will|may)\s+have\s+)(?:{_AUX}\s+)?(?:{_ADVERBS}\s+)*$"
)
_TRAILING_FILLER = re.compile(rf"(?:\s+(?:{_ADVERBS}|have|has|had|did|’ve|'ve)|\s*,)+\s*$")
_COMMITTEE = r"(?:[Ss]ub-?[Cc]ommittee|Committee|committee|Panel|panel|Board|Executive|Working Group|Officers)"
_NEC_SUBJECT = re.compile(
    r"(?:^|\b)(?:(?P<we>[Ww]e)"
    r"|(?:[Tt]he\s+)?(?:full\s+|whole\s+)?(?P<nec>NEC|[Nn]ational [Ee]xecutive(?: [Cc]ommittee)?)(?:\s+members)?"
    rf"|(?P<generic>[Tt]he\s+(?:(?:[a-z][\w-]*\s+){{0,2}}{_COMMITTEE}|[Ee]xecutive|(?:special\s+|full\s+|whole\s+)?meeting))"
    rf"|(?:[Tt]he\s+)?(?P<named>(?:[A-Z][\w’'&-]*\s+){{1,4}}{_COMMITTEE}))\s*$"
)
_OTHER_SUBJECT = re.compile(r"\b(?:I|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Yy]ou|[Ww]ho|[Ww]hich|[Ww]hoever)\s*$")
_CONJUNCTION_TAIL = re.compile(r"(?:\band|\bbut|,)\s*$")
_CLAUSE_BREAK = re.compile(r";|:|\s[–—-]\s|\b(?:that|because|while|whilst|but)\b")
_CLAUSE_BREAK_HINT = (";", ":", "–", "—", "-", "that", "because", "while", "but")  # one is in every match
_FIRST_SUBJECT = re.compile(
    r"\b(?P<we>[Ww]e|NEC|[Tt]he (?:[Cc]ommittee|[Ee]xecutive))\b|\b(?:I|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|MEPs?|MPs?|"
    r"[Cc]onference|[Cc]ouncil|[Pp]arliament|[Gg]overnment)\b|\b[A-Z][a-z]+ [A-Z][a-z]+\b"
)
_AGENT = re.compile(r"^\s*(?:\([^()]{0,80}\)\s*)?by\s+(?:the\s+)?(\S+)(?:\s+(\S+))?")
_NEC_AGENTS = re.compile(
    r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|a|majority|unanimous|acclamation|consensus|show|votes?|us|NEC|"
    r"committee|sub-committee|panel|executive|officers|secret|ballot|\w+\s+(?:sub-)?committee)",
    re.I,
)
_NOT_A_DECISION_AFTER = re.compile(r"^\s*(?:away|out|on|over|through\s+to|to\s+(?:the\s+)?police)\b")
_ROLE_AFTER = re.compile(
    r"^\s*(?:as\s+|to\s+(?:the\s+)?(?:role|post|position|office)\s+of\s+)?(?:the\s+)?(?:new\s+)?"
    r"(?:(?:NEC|Party|Labour|party)\s+)?(?P<role>(?i:treasurer|chair|vice[- ]chair|general secretary|auditor|"
    r"secretary|president))\b"
)
_ELECTED_TO_ROLE = re.compile(
    r"\b(re-?elect(?:ed|ion)|elect(?:ed|ion)|appoint(?:ed|ment))\s+(?:as\s+|to\s+(?:the\s+)?(?:role|post|position|"
    r"office)\s+of\s+)(?:the\s+)?(?:new\s+)?(?:(?:NEC|Party|Labour|party)\s+)?((?i:treasurer|chair|vice[- ]chair|"
    r"general secretary|auditor))\b"
)
_SECURED = re.compile(
    r"\b(?:I|[Ww]e)\b[^.;]{0,160}?\b(?:secur(?:e|ed|ing)|w[io]n|gain(?:ed)?|obtain(?:ed)?)\s+(?:the\s+|an?\s+)?"
    r"(?:NEC['’]s\s+|committee['’]s\s+)?(?:agreement|approval|support|backing|commitment|consent)\b"
)
_ACHIEVED = re.compile(
    r"\b[Ww]e\s+(?:have\s+|had\s+)?(?:achieved|secured|won|obtained|negotiated)\s+(?:a|an|the)\s+"
    r"(?!(?:\w+\s+)?(?:seats?|majority|elections?|by-elections?|share|votes?|wards?|councils?|contests?)\b)"
)
_REQUEST = re.compile(
    r"\b(?:I|[Ww]e|(?:[Ss]everal|[Ss]ome|[Mm]any|[Oo]ther|[Tt]wo|[Tt]hree)\s+(?:NEC\s+)?members|[Mm]embers|[Cc]olleagues"
    r"|[Oo]ne\s+member|[A-Z][a-z]+(?:\s+[A-Z][a-z’'-]+)?)\s+(?:had\s+|also\s+|again\s+)?(?:requested|asked\s+for|asked\s+that|asked\s+if|proposed|moved|"
    r"called\s+for|suggested|sought|argued\s+for|pressed\s+for|raised)\s+(?P<what>[^.;]+)"
)
_SECURED_NOUNS = ("agreement", "approval", "support", "backing", "commitment", "consent")  # one in every match
_ACHIEVED_VERBS = ("achieved", "secured", "won", "obtained", "negotiated")  # one in every match
# Words that `_SECURED`, `_ACHIEVED` or `_ELECTED_TO_ROLE` cannot match without.
_SPECIAL_WORDS = ("secur", "win", "won", "gain", "obtain", "achieved", "negotiated", "elect", "appoint")
_CLAUSE_END = re.compile(
    r"\s(?:(?:and|but|so|because|although|while|whilst)\s+(?:I|we|he|she|they|was|were|am)\b|[–—-]\s|\()|;"
    r"|,\s+(?:but|and\s+I)\b"
)
_OBJECT_LEAD = re.compile(r"^\s*(?:,\s*)?(?:to\s+|that\s+|on\s+|in\s+favour\s+of\s+)")
_RECOMMENDATION = re.compile(r"^(?:the\s+)?recommendation\s+(?:from\s+(?:the\s+)?[^,]{0,80}?\s+)?that\s+", re.I)
_TALLY_ONLY = re.compile(
    r"^(?:This|It|That|Which|These|The\s+(?:motion|proposal|proposals|recommendation|recommendations|amendment|"
    r"vote|resolution|decision))\s+(?:was|were)\s+(?:\w+\s+)?(?:passed|carried|agreed|approved|endorsed|adopted|"
    r"accepted|ratified)\b"
)
_ITEM_NAME = re.compile(r"^(?:[A-Z0-9][\w’'&.-]*)(?:\s+(?:(?:of|for|the|and|in|on|de|&)\s+)?[A-Z0-9][\w’'&.-]*){0,7}")
_MEETING_OF = re.compile(rf"\b(?:meeting\s+of|at)\s+(?:the|our)\s+(?P<name>(?:[A-Z][\w’'&-]*\s+){{1,4}}{_COMMITTEE})")
_SPACES = re.compile(r"\s+")
_REQUEST_HINT = (
    "requested",
    "asked",
    "proposed",
    "moved",
    "called",
    "suggested",
    "sought",
    "argued",
    "pressed",
    "raised",
)
_TALLY_LEAD_OUT = re.compile(r"[\s,]*(?:\bby|\bwas\s+passed|\bwere\s+passed)?[\s,]*$")
# `_TALLY_LEAD_OUT` read backwards from the end of a line: matched once at its start, instead of tried at
# every place of the clause (each of its matches ends at the line's end, the first is the longest).
_TALLY_LEAD_OUT_REVERSED = re.compile(r"[\s,]*(?:yb\b|dessap\s+saw\b|dessap\s+erew\b)?[\s,]*")
_PRONOUN_OBJECT = re.compile(r"^(?:them|it|this|these|those|that|both|all)\b", re.I)
_NOUN_PHRASE_LEAD = re.compile(
    r"^(?P<np>(?:[Tt]he|[Oo]ur|[Aa]n?|[Tt]his|[Tt]hese|[Tt]hose)\s+[^,.;:]{3,80}?)\s+(?:came|come|were|was|is|are|had|"
    r"have|has|will|would|went|returned|must|should|could)\b"
)
_DETERMINER = r"\b(?:the|our|a|an|this|its|their)\b"
_WHICH_PASSIVE = re.compile(rf"(?P<np>{_DETERMINER}\s+[^,.;:]{{2,60}}?),\s*which\s+(?:was|were)\s*$", re.I)
_LAST_NOUN_PHRASE = re.compile(rf"{_DETERMINER}\s+(?:(?!{_DETERMINER})[^,.;:])*$", re.I)
_LEADING_SCORE = re.compile(r"^\s*(?:by\s+)?\d{1,3}\s?[-–]\s?\d{1,3}\b")
_OWN_VOTE = re.compile(r"^(?:for|against|in\s+favour|to\s+abstain)(?:\s+(?:it|this|that|them))?$", re.I)
_PROCEDURAL = re.compile(r"\bminutes\b[^.]{0,120}\b(?:correct|accurate|true)\s+record\b", re.I)
# Compiled once here rather than looked up in the `re` module's cache on every call.
_UNANIMOUSLY_LEAD = re.compile(r"^\s*unanimously\b")
_REQUEST_END = re.compile(r"\s[–—-]\s|\s+and\s+(?:this|it|was|were)\b|,\s+which\b")
_THE_NEC = re.compile(r"(?:The\s+)?National Executive(?: Committee)?")
_MOVED_ON = re.compile(r"^\s*(?:to|on|over|into)\b")  # "passed on to", "carried over"
_ENDS_IT = re.compile(r"(?:^|\s)it$", re.I)
_ENDS_AUXILIARY = re.compile(r"\s*\b(?:would|will|shall|should|to|is|are)$")
_AUXILIARY_ENDINGS = ("would", "will", "shall", "should", "to", "is", "are")
_ENDS_PRONOUN = re.compile(r"(?:^|\s)(?:it|this|that|which|these)$", re.I)
_DETERMINER_WORD = re.compile(_DETERMINER, re.I)
_WHO = re.compile(r"\bwho(?:ever)?\b")
_VOTED_TO = re.compile(r"\bvoted\s+to\s+([a-z]+)")


@dataclass(slots=True)
class _Found:
    """One decision found in one sentence, before tallies in later sentences are attached."""

    index: int
    sentence: str
    subject: str
    verb: str
    tally: Tally | None = None
    committee: str | None = None
    tally_only: bool = False
    extra_text: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


def _shorten(text: str, limit: int = MAX_SUBJECT) -> str:
    text = " ".join(text.split()).strip(" ,.;:–—-")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


def _object_after(sentence: str, start: int) -> str:
    """The clause a decision verb governs: "to defer decisions on ..." -> "defer decisions on ..."."""
    rest = sentence[start : start + 400]
    tally = find_tally(rest)
    if tally and tally.start < 5 and not tally.tally.unanimous:
        rest = rest[tally.end :]
    rest = _LEADING_SCORE.sub("", rest, count=1)  # "voted 24-10 to ..."
    rest = _UNANIMOUSLY_LEAD.sub("", rest)
    rest = _OBJECT_LEAD.sub("", rest, count=1).lstrip()
    rest = _RECOMMENDATION.sub("", rest, count=1)
    end = _CLAUSE_END.search(rest)
    if end and end.start() > 10:
        rest = rest[: end.start()]
    return _shorten(_without_tally(rest))


def _without_tally(clause: str) -> str:
    """The clause without its vote count: the tally is shown beside the subject, not inside it."""
    found = find_tally(clause)
    if found is None or found.start < 8:
        return clause
    return _without_lead_out(clause[: found.start]) + clause[found.end :].rstrip(" .")


def _without_lead_out(text: str) -> str:
    """`_TALLY_LEAD_OUT.sub("", text)`: the text without the words that led to its tally."""
    if "\n" in text:  # `$` also matches before a final line break; sentences hold none
        return _TALLY_LEAD_OUT.sub("", text)
    lead_out = _TALLY_LEAD_OUT_REVERSED.match(text[::-1])
    return text[: len(text) - lead_out.end()] if lead_out else text


def _request_before(pre: str) -> str | None:
    """What the author asked for, when the decision is "... and this was agreed"."""
    if not contains_any(pre, _REQUEST_HINT):
        return None  # no request verb (the usual case), found far more cheaply than by `_REQUEST`
    found = None
    for m in _REQUEST.finditer(pre):
        found = m.group("what")
    if not found:
        return None
    found = _REQUEST_END.split(found)[0]
    return _shorten(found)


def _clause_start(pre: str) -> int:
    if not contains_any(pre, _CLAUSE_BREAK_HINT):
        return 0
    last = 0
    for m in _CLAUSE_BREAK.finditer(pre):
        last = m.end()
    return last


def _committee_in(sentence: str) -> str | None:
    m = _MEETING_OF.search(sentence)
    return m.group("name").strip() if m else None


def _named_committee(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip()
    if _THE_NEC.fullmatch(name):
        return None
    return name


def _key_words_in(sentences: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The decision verbs and the special forms' words that occur somewhere in these sentences.

    Looked for once in all of a section's sentences, so that each sentence is then tested for these few
    words (often none) rather than for all of them: a third of the substring tests' instructions.
    """
    text = "\n".join(sentences)  # no key word holds a line break, so none is found across two sentences
    return tuple(w for w in _VERBS if w in text), tuple(w for w in _SPECIAL_WORDS if w in text)


def _decisions_in(
    sentence: str, index: int, verbs_present: tuple[str, ...] = _VERBS, words_present: tuple[str, ...] = _SPECIAL_WORDS
) -> list[_Found]:
    """Every decision one sentence states (usually none, sometimes several). `verbs_present` and
    `words_present` may leave out the decision verbs and `_SPECIAL_WORDS` that the sentence does not hold."""
    found: list[_Found] = []
    # Most sentences hold no decision verb; substring tests show that in half the instructions `_VERB` needs.
    verbs = list(_VERB.finditer(sentence)) if contains_any(sentence, verbs_present) else []
    if not verbs and not contains_any(sentence, words_present) and not _MINUTED.match(sentence):
        return found  # most sentences: no decision verb (so no tally-only sentence either) and no special form
    tally_match = find_tally(sentence)
    tally = tally_match.tally if tally_match else None

    lowered = ascii_lower(sentence)
    if (lowered is None or ("minutes" in lowered and "record" in lowered)) and _PROCEDURAL.search(sentence):
        return found  # approving the last meeting's minutes is procedure, not news
    short_rest = tally_match is not None and len(sentence[tally_match.end :].split()) <= 4
    if short_rest and _TALLY_ONLY.match(sentence):
        return [_Found(index, sentence, "", "passed", tally, tally_only=True)]

    minuted = _MINUTED.match(sentence)
    if minuted:  # minutes' "Agreed: that the ..." lines
        return [_Found(index, sentence, _shorten(_without_tally(minuted["what"])), "agreed", tally)]

    subjects: set[str] = set()
    for m in verbs:
        verb = m.group(1)
        pre = sentence[max(0, m.start() - _WINDOW) : m.start()]
        post = sentence[m.end() : m.end() + _WINDOW]
        if _NOT_A_DECISION_AFTER.match(post):
            continue
        agent = _AGENT.match(post)
        if agent and not _NEC_AGENTS.match(" ".join(g for g in agent.groups() if g)):
            continue  # "agreed by conference", "voted down by the council"
        result = _judge(sentence, m.start(), m.end(), verb, pre, post, first=not found)
        if result is None:
            continue
        subject, committee = result
        if subject in subjects:
            continue
        subjects.add(subject)
        found.append(_Found(index, sentence, subject, verb, tally, committee))

    if not found:
        special = _special_decision(sentence, index, tally)
        if special:
            found.append(special)
    return found


def _judge(
    sentence: str, start: int, end: int, verb: str, pre: str, post: str, *, first: bool
) -> tuple[str, str | None] | None:
    """(subject, committee) when the verb at start..end states an NEC decision, else None."""
    tail = pre[-_TAIL:]  # the patterns anchored at the verb need only the last few words
    if verb in _DEFEAT_VERBS:
        return _defeat(sentence, pre, tail, verb)
    if _PASSIVE_TAIL.search(tail):
        if verb not in _PASSIVE_VERBS or _RELATIVE_PASSIVE.search(tail) or _HYPOTHETICAL.search(tail):
            return None
        if verb in _ELECTION_VERBS and not _ROLE_AFTER.match(post):
            return None
        if verb in ("passed", "carried") and _MOVED_ON.match(post):
            return None
        obj = _object_after(sentence, end)
        which = _WHICH_PASSIVE.search(tail) if "," in tail else None
        if which:
            noun_phrase = _LAST_NOUN_PHRASE.search(which.group("np"))
            head = noun_phrase.group() if noun_phrase else which.group("np")
            return _shorten(f"{head} {verb}"), _named_committee(_committee_in(sentence))
        clause = pre[_clause_start(pre) :]
        subject_np = _PASSIVE_TAIL.sub("", clause).strip()
        if verb == "resolved" and not _ENDS_IT.search(subject_np):
            return None  # "36 complaints had been resolved" settles cases; "It was resolved that" decides
        committee = _named_committee(_committee_in(sentence))
        if subject_np.endswith(_AUXILIARY_ENDINGS):  # (stripped: no newline for `$` to stop before)
            subject_np = _ENDS_AUXILIARY.sub("", subject_np).strip()
        if not subject_np or _ENDS_PRONOUN.search(subject_np):
            if obj:
                return obj, committee
            request = _request_before(pre)
            return (request or _shorten(clause or sentence)), committee
        head = f"{subject_np} {verb}"
        return _shorten(
            f"{head} {obj}" if obj and verb in ("renamed", "appointed", "elected", "re-elected") else head
        ), committee

    if verb not in _ACTIVE_VERBS:
        return None
    imm = _TRAILING_FILLER.sub("", tail)
    nec = _NEC_SUBJECT.search(imm)
    if nec:
        obj = _object_after(sentence, end)
        if verb == "voted" and _OWN_VOTE.match(obj):
            return None  # "We voted against." is how the writers voted, not what the NEC decided
        return obj or verb, _named_committee(nec.group("named"))
    if _OTHER_SUBJECT.search(imm) or not _CONJUNCTION_TAIL.search(imm) or not first:
        return None
    clause = pre[_clause_start(pre) :]
    subject = _FIRST_SUBJECT.search(clause)
    if subject and subject.group("we"):
        return _object_after(sentence, end) or verb, None
    return None


def _defeat(sentence: str, pre: str, tail: str, verb: str) -> tuple[str, str | None] | None:
    """ "The amendment was lost", "the motion fell": what was put to the vote, defeated."""
    if verb != "fell" and not _PASSIVE_TAIL.search(tail):
        return None
    if _HYPOTHETICAL.search(tail) or _FUTURE_PASSIVE.search(tail) or _RELATIVE_PASSIVE.search(tail):
        return None
    clause = _PASSIVE_TAIL.sub("", pre[_clause_start(pre) :]).strip()
    put = _PUT_TO_VOTE.search(clause) or _VOTE_NOUN.search(clause)
    if put is None:
        return None
    start = max((m.start() for m in _DETERMINER_WORD.finditer(clause[: put.start()])), default=0)
    subject_np = clause[start:].strip()
    if _OTHER_BODY.search(subject_np):
        return None  # "the motion at the council was defeated"
    return _shorten(f"{subject_np} defeated"), _named_committee(_committee_in(sentence))


def _special_decision(sentence: str, index: int, tally: Tally | None) -> _Found | None:
    """Requests granted, concessions won and elections to party offices, which use no decision verb."""
    # Each pattern runs only when the sentence holds a word it needs: they are slow, and these sentences common.
    secured = _SECURED.search(sentence) if contains_any(sentence, _SECURED_NOUNS) else None
    if secured:
        request = _request_before(sentence[: secured.end()])
        subject = request or _shorten(sentence)
        return _Found(index, sentence, subject, "agreed", tally, _named_committee(_committee_in(sentence)))
    achieved = _ACHIEVED.search(sentence) if contains_any(sentence, _ACHIEVED_VERBS) else None
    if achieved:
        return _Found(index, sentence, _object_after(sentence, achieved.end() - 0), "agreed", tally)
    elected = _ELECTED_TO_ROLE.search(sentence) if "elect" in sentence or "appoint" in sentence else None
    if elected and not _WHO.search(sentence[: elected.start()]):
        names = names_in(sentence[: elected.start()])
        verb = "re-elected" if elected.group(1).lower().startswith("re") else "elected"
        if elected.group(1).lower().startswith("appoint"):
            verb = "appointed"
        lead = _item_name(sentence)
        who = names[0] if names else lead if 2 <= len(lead.split()) <= 4 else ""
        if not who:
            return None
        return _Found(index, sentence, f"{who} {verb} {elected.group(2)}", verb, tally, people=[who])
    return None


def _participle(found: _Found) -> str:
    """The past participle that names what a plural decision did to each item ("proscribed")."""
    m = _VOTED_TO.search(found.sentence)
    if m:
        verb = m.group(1)
        if verb.endswith("e"):
            return verb + "d"
        if verb.endswith("y") and verb[-2:-1] not in "aeiou":
            return verb[:-1] + "ied"
        return verb + "ed"
    return found.verb


def _item_name(sentence: str) -> str:
    m = _ITEM_NAME.match(sentence)
    if m and m.group().split()[0] not in ("This", "It", "The", "That", "These", "There", "We", "I"):
        return m.group().rstrip(".,;:")
    return _shorten(" ".join(sentence.split()[:8]), 60)


def _attach_tallies(found: list[_Found], sentences: list[str]) -> list[_Found]:
    """Give tallies in following sentences to the decision before them, splitting plural decisions."""
    out: list[_Found] = []
    i = 0
    while i < len(found):
        current = found[i]
        if current.tally_only:
            # A tally with no decision before it in this section: the sentence before says what was voted.
            prev = sentences[current.index - 1] if current.index > 0 else ""
            if prev:
                out.append(
                    _Found(
                        current.index - 1,
                        prev,
                        _shorten(prev),
                        "passed",
                        current.tally,
                        extra_text=[current.sentence],
                    )
                )
            i += 1
            continue
        tallies: list[_Found] = []
        j = i + 1
        last_index = current.index
        while j < len(found) and found[j].tally_only and found[j].index - last_index <= 5:
            tallies.append(found[j])
            last_index = found[j].index
            j += 1
        boundaries = [current.index, *(t.index for t in tallies)][: len(tallies)]
        every_item_written = all(t.index - b >= 2 for t, b in zip(tallies, boundaries, strict=True))
        if not tallies:
            out.append(current)
        elif len(tallies) >= 2 and every_item_written:
            # "we voted to proscribe three organisations. A is ... This was passed by 19 votes to 11. B ..."
            participle = _participle(current)
            for t, boundary in zip(tallies, boundaries, strict=True):
                item = sentences[boundary + 1]
                out.append(
                    _Found(
                        boundary + 1,
                        item,
                        _shorten(f"{_item_name(item)} {participle}"),
                        current.verb,
                        t.tally,
                        current.committee,
                        extra_text=[t.sentence],
                    )
                )
        else:
            if current.tally is None:
                current.tally = tallies[0].tally
                current.extra_text.append(tallies[0].sentence)
            out.append(current)
            for extra in tallies[1:]:
                prev = sentences[extra.index - 1]
                out.append(
                    _Found(extra.index - 1, prev, _shorten(prev), "passed", extra.tally, extra_text=[extra.sentence])
                )
        i = j
    return out


def _single_spaced(text: str) -> str:
    """Runs of white space as one space. Most subjects have been through `_shorten` already: a printable
    text holds no white space but " " (the others are all unprintable), so two spaces in a row are the test."""
    if text.isprintable() and "  " not in text:
        return text
    return _SPACES.sub(" ", text)


def _capitalised(subject: str) -> str:
    return subject[:1].upper() + subject[1:]


def _resolve_pronoun_subject(found: _Found, sentences: list[str]) -> str:
    """ "approved them" says nothing alone: name what the sentence before was about, when it says."""
    if not _PRONOUN_OBJECT.match(found.subject) or found.index == 0:
        return found.subject
    lead = _NOUN_PHRASE_LEAD.match(sentences[found.index - 1])
    if lead is None:
        return found.subject
    return _shorten(f"{lead.group('np')} {found.verb}")


def extract_decisions(sections: list[Section], *, meeting_date: date | None) -> list[Decision]:
    """Decisions the NEC or its committees took, in report order, with tallies and topics."""
    decisions: list[Decision] = []
    seen: set[tuple[str, str]] = set()
    named: dict[str, list[str]] = {}  # sentence -> names in it; several decisions can share a sentence
    topics: dict[str, list[str]] = {}
    for section in sections:
        sentences = split_sentences(section.text or "\n".join(section.items))
        found: list[_Found] = []
        verbs_present, words_present = _key_words_in(sentences)
        key_words = verbs_present + words_present
        for index, sentence in enumerate(sentences):
            # Most sentences hold none of the key words and are no minuted decision: `_decisions_in` would find
            # nothing in them (it returns at its first test), so they are passed over here, more cheaply.
            if contains_any(sentence, key_words) or sentence.lstrip()[:1] in _MINUTED_FIRST_LETTERS:
                found.extend(_decisions_in(sentence, index, verbs_present, words_present))
        for f in _attach_tallies(found, sentences):
            f.subject = _resolve_pronoun_subject(f, sentences)
            text = " ".join([f.sentence, *f.extra_text])
            key = (_single_spaced(f.subject).casefold(), f.sentence)
            if key in seen:
                continue
            seen.add(key)
            if f.sentence not in named:
                named[f.sentence] = names_in(f.sentence)
            about = f"{f.subject}\n{text}"
            if about not in topics:
                # what was decided (the subject) ranks first; the sentence around it adds the rest
                topics[about] = list(dict.fromkeys([*assign_topics(f.subject), *assign_topics(text)]))
            decisions.append(
                Decision(
                    text=text,
                    subject=_capitalised(f.subject or _shorten(f.sentence)),
                    section=section.heading,
                    tally=f.tally,
                    topics=topics[about],
                    people=list(dict.fromkeys([*named[f.sentence], *f.people])),
                    committee=f.committee,
                )
            )
    return decisions
