"""Cut the junk that comes with a report: comment threads, teasers, appeals, counters, site chrome.

Rules are keyed to shapes of lines, never to a site or a file. The body ends at the first "late" end
marker (a comment thread, a related-posts block, a donate/subscribe appeal, page chrome, a personal
"keeping in touch" section) or at the author's personal-account disclaimer; after the disclaimer only
plain sentences survive (a last note about the meeting), up to the next heading. Every regex here is
anchored to one line and bounded, so cleaning is linear in the input size.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from digests.authors import clean_name, has_known_first_name, looks_like_person
from digests.matching import ascii_lower, contains_any

_BULLET_PREFIX = re.compile(r"^\s*(?:[•\-*–·▪◦]|\d{1,3}[.)])\s+")

_SHARE = re.compile(
    r"^(?:share|share this(?: article| post| page| story)?|share on \w+|tweet(?: this)?|e-?mail|print"
    r"|like this:?|click to (?:share|print|email).{0,60}|follow us.{0,60}|share via.{0,60})[.!]?$",
    re.IGNORECASE,
)
_TEASER_HEAD = re.compile(
    r"^(?:latest posts? (?:on|from)|latest posts?$|more from\b|related(?: posts| articles| stories|:|$)|see also\b"
    r"|read more\b|read next\b|continue reading\b|you may also like|you might also like|recommended(?: for you)?$"
    r"|popular posts|recent posts|further reading|most read|trending)[^\n]{0,80}$",
    re.IGNORECASE,
)
_TEASER_EXCERPT = re.compile(r"(?:\[…\]|\[\.\.\.\]|\[&hellip;\])\s*$")
_STRAPLINE = re.compile(
    r"^(?:a|an|the)\s+(?:\w+\s+){0,2}(?:blog|website|site|newsletter|journal)\s+(?:by|of|from)\s+", re.IGNORECASE
)
_COUNTER = re.compile(r"\b(?:free )?hit counters?\b|\bvisitors? (?:since|today)\b|^page views\b", re.IGNORECASE)
_CHROME = re.compile(
    r"^(?:©|\(c\)\s|copyright\b)|\bpowered by (?:wordpress|blogger|ghost|drupal|squarespace|wix|jekyll|hugo)\b"
    r"|\btheme\b[^\n]{0,60}\bby\b|\ball rights reserved\b",
    re.IGNORECASE,
)
_COMMENT_BITS = re.compile(
    r"^(?:reply|report comment|leave a (?:comment|reply)[^\n]{0,60}|\d+ (?:comments?|responses?|replies|thoughts? on)"
    r"[^\n]{0,80}|comments?(?: \(\d+\))?:?|comments are closed\.?|log in to reply|you must be logged in[^\n]{0,80}"
    r"|join the discussion[^\n]{0,40}|add (?:a|your) comment[^\n]{0,40})$",
    re.IGNORECASE,
)
_COMMENT_SAYS = re.compile(r"^(?:\d{1,4}[.)]?\s+)?[^\s][^\n]{0,60}?\s+says:$")
_APPEAL = re.compile(
    r"^(?:donate(?: here| now| today)?|subscribe(?: here| now| today| to [^\n]{0,60})?|sign up (?:to|for) [^\n]{0,60}"
    r"|support (?:us|our work)[^\n]{0,40}|become a (?:member|supporter|patron)[^\n]{0,40})[.!]?$",
    re.IGNORECASE,
)
_PERSONAL_HEADING = re.compile(
    r"^(?:keeping in touch|since my last report|about (?:me|the author)|my (?:recent )?(?:visits|diary|activities))\b"
    r"[^\n]{0,40}$",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"\b(?:personal account|not (?:be taken as )?(?:an|the) official (?:record|minutes)|questions and comments "
    r"(?:are )?welcome|comments and questions (?:are )?welcome|happy for (?:this|it) to be (?:circulated|shared))\b",
    re.IGNORECASE,
)
# Words (lower case) one of which is in every match of the patterns named.
_CHROME_WORDS = ("counter", "visitor", "page views", "©", "(c)", "copyright", "powered by", "theme", "all rights")
_DISCLAIMER_WORDS = ("personal account", "official", "welcome", "happy for")
_NAME_TOKEN = re.compile(r"^[A-Za-z][\w.'’-]{0,30}$")
_SIGNOFF_DASH = re.compile(r"^(?:—|–|--)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s*(?:,[^\n]{0,80})?$")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_SIGNOFF_MAX_LINES = 6
_SIGNOFF_MAX_WORDS = 12
_VALEDICTION = re.compile(
    r"^(?:(?:with\s+)?(?:best|kind|warm)(?:est)?\s+(?:wishes|regards)|regards|thanks(?: again)?|thank you|cheers"
    r"|(?:yours\s+)?(?:in\s+)?solidarity|(?:yours\s+)?(?:fraternally|sincerely)|all the best)[,.!]?$",
    re.IGNORECASE,
)
_POSTED_BY = re.compile(r"^(?:posted|written|published)\s+by\s+[A-Z]", re.IGNORECASE)


@dataclass(slots=True)
class CleanResult:
    """The body text and what was taken out of the input."""

    text: str
    removed: list[str] = field(default_factory=list)
    straplines: list[str] = field(default_factory=list)
    signoffs: list[str] = field(default_factory=list)


def clean_text(text: str) -> CleanResult:
    """Split `text` into the report body and the junk around it; junk is listed in `removed`."""
    lines = [line.rstrip() for line in text.split("\n")]
    result = CleanResult(text="")
    end, disclaimer = _find_body_end(lines)
    body = lines[:end]
    tail = lines[end:]
    if disclaimer:
        result.removed.append(tail[0].strip())
        kept, rest = _post_disclaimer_notes(tail[1:])
        body.extend(kept)
        tail = rest
    result.signoffs.extend(_signoff_candidates(tail))
    if any(line.strip() for line in tail):
        result.removed.append("\n".join(line for line in tail if line.strip()))
    body = _drop_junk_lines(body, result)
    body = _drop_trailing_signoff(body, result)
    result.text = _collapse_blank_lines(body)
    return result


def _core(line: str) -> str:
    """The line without bullets, Markdown emphasis and surrounding space, for matching."""
    core = _BULLET_PREFIX.sub("", line).strip()
    return core.strip("*_# ").strip()


# The body runs for at least this share of the words (and at most `_BODY_MIN_WORDS`) before an end can come.
_BODY_MIN_SHARE = 0.3
_BODY_MIN_WORDS = 150


def _find_body_end(lines: list[str]) -> tuple[int, bool]:
    """Index of the first line after the body, and whether that line is the author's disclaimer."""
    threshold = _body_min_words(lines)
    before = 0
    for index, line in enumerate(lines):
        if before < threshold:
            # Speed: words are counted only until the body is long enough for an end to come (splitting
            # every line into words was half of cleaning).
            before += len(line.split())
            continue
        core = _core(line)
        if core:
            if _is_disclaimer(core, line):
                return index, True
            if _is_hard_end(lines, index, core):
                return index, False
    return len(lines), False


def _body_min_words(lines: list[str]) -> int:
    """`_BODY_MIN_SHARE` of the words of `lines`, at most `_BODY_MIN_WORDS`: counted only as far as that needs."""
    total = 0
    enough = math.ceil(_BODY_MIN_WORDS / _BODY_MIN_SHARE)  # with this many words or more, the cap applies
    for line in lines:
        total += len(line.split())
        if total >= enough:
            break
    return min(_BODY_MIN_WORDS, int(total * _BODY_MIN_SHARE))


def _is_disclaimer(core: str, line: str) -> bool:
    # Speed: `_DISCLAIMER` opens with a word boundary and ignores case, so it is tried slowly at every
    # character of every paragraph; a paragraph without one of its key words cannot match. That test comes
    # before the count of the line's words, which costs more.
    lowered = ascii_lower(core)
    if lowered is not None and not contains_any(lowered, _DISCLAIMER_WORDS):
        return False
    if len(line.split()) > 80:
        return False
    return _DISCLAIMER.search(core) is not None


def _is_hard_end(lines: list[str], index: int, core: str) -> bool:
    if len(core) > 200:
        return False
    return bool(
        _TEASER_HEAD.match(core)
        or _TEASER_EXCERPT.search(core)
        or _COMMENT_BITS.match(core)
        or _COMMENT_SAYS.match(core)
        or _APPEAL.match(core)
        or _PERSONAL_HEADING.match(core)
        or _is_counter_or_chrome(core)
        or _is_commenter_line(lines, index, core)
    )


def _is_commenter_line(lines: list[str], index: int, core: str) -> bool:
    """A bare name line (a commenter's name or handle) followed by a more deeply indented comment."""
    tokens = core.split()
    if not 1 <= len(tokens) <= 4 or _SENTENCE_END.search(core) or core.endswith((":", ";", ",")):
        return False
    if not all(_NAME_TOKEN.match(token) for token in tokens):
        return False
    line = lines[index]
    indent = len(line) - len(line.lstrip())
    for following in lines[index + 1 : index + 4]:
        if not following.strip():
            continue
        follow_indent = len(following) - len(following.lstrip())
        return (
            follow_indent > indent
            and not _BULLET_PREFIX.match(following)
            and len(following.split()) >= 3
            and (bool(_BULLET_PREFIX.match(line)) or indent > 0 or follow_indent >= 4)
        )
    return False


def _post_disclaimer_notes(tail: list[str]) -> tuple[list[str], list[str]]:
    """Plain sentences right after the disclaimer are still about the meeting; stop at anything else."""
    kept: list[str] = []
    for index, line in enumerate(tail):
        core = _core(line)
        if not core:
            kept.append("")
            continue
        is_note = (
            len(core.split()) >= 6
            and _SENTENCE_END.search(core) is not None
            and not _BULLET_PREFIX.match(line)
            and not _is_hard_end(tail, index, core)
            and not _DISCLAIMER.search(core)
        )
        if not is_note:
            return kept, tail[index:]
        kept.append(line)
    return kept, []


def _signoff_candidates(tail: list[str]) -> list[str]:
    """The first few short lines after the body: where authors sign off ("Jane Doe, Anytown")."""
    candidates: list[str] = []
    for line in tail:
        core = line.strip()
        if not core:
            continue
        if len(candidates) >= 3 or len(core.split()) > 30:
            break
        candidates.append(core)
    return candidates


def _drop_junk_lines(body: list[str], result: CleanResult) -> list[str]:
    kept: list[str] = []
    skip_until_blank = False
    for line in body:
        core = _core(line)
        if not core:
            skip_until_blank = False
            kept.append("")
            continue
        if skip_until_blank:
            result.removed.append(core)
            continue
        if _STRAPLINE.match(core):
            result.straplines.append(core)
            result.removed.append(core)
            continue
        if _is_junk_line(core):
            result.removed.append(core)
            # An appeal heading ("DONATE HERE") is followed by its pitch paragraph.
            skip_until_blank = bool(_APPEAL.match(core))
            continue
        kept.append(line)
    return kept


def _is_junk_line(core: str) -> bool:
    if len(core) > 200:
        return False
    return bool(
        _SHARE.match(core)
        or _TEASER_HEAD.match(core)
        or _COMMENT_BITS.match(core)
        or _APPEAL.match(core)
        or _is_counter_or_chrome(core)
    )


def _is_counter_or_chrome(core: str) -> bool:
    """A hit counter or page chrome ("Powered by WordPress"). Both patterns ignore case and open with a word
    boundary (slow on every line), so a line without one of their key words is passed over first."""
    lowered = ascii_lower(core)
    if lowered is not None and not contains_any(lowered, _CHROME_WORDS):
        return False
    return bool(_COUNTER.search(core) or _CHROME.search(core))


def _drop_trailing_signoff(body: list[str], result: CleanResult) -> list[str]:
    """The report's last short block when it signs the report ("— Jane Doe"; "Jane Doe" with her contact
    lines; "Best wishes, / Jane"; "Posted by Jane Doe at 9:04 PM"): author metadata, not body text."""
    end = len(body)
    while end and not body[end - 1].strip():
        end -= 1
    start = end
    while start and body[start - 1].strip():
        start -= 1
    block = [_core(line) for line in body[start:end]]
    if not block:
        return body
    if _SIGNOFF_DASH.match(block[-1]):
        result.signoffs.insert(0, block[-1])
        result.removed.append(block[-1])
        return body[: end - 1] + body[end:]
    if len(block) > _SIGNOFF_MAX_LINES or any(len(line.split()) > _SIGNOFF_MAX_WORDS for line in block):
        return body
    names = block[1:] if _VALEDICTION.match(block[0]) else block
    if not names or not _signs_report(names[0]):
        return body
    result.signoffs.insert(0, names[0])
    result.removed.append("\n".join(block))
    if names is block:  # "Best wishes," may stand alone in the paragraph before the name
        before = [index for index in range(start) if body[index].strip()]
        last = before[-1] if before else None
        if last is not None and _VALEDICTION.match(_core(body[last])) and (last == 0 or not body[last - 1].strip()):
            result.removed.append(_core(body[last]))
            return body[:last] + body[end:]
    return body[:start] + body[end:]


def _signs_report(line: str) -> bool:
    """A line that names the writer: a byline-like "Posted by ...", a full name (perhaps followed by a
    comma and a role or address), or the writers' first names ("Jane, John and Ann")."""
    if _POSTED_BY.match(line):
        return True
    first = line.split(",", 1)[0]
    name = clean_name(first)
    if looks_like_person(name) and has_known_first_name(name):
        return not (_SENTENCE_END.search(line) and len(line.split()) >= 6)
    words = [w for w in re.split(r"\s*(?:,|\band\b|&)\s*", line.rstrip(".!")) if w]
    return bool(words) and all(has_known_first_name(w) and " " not in w for w in words)


def _collapse_blank_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
