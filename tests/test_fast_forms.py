"""Fast forms of patterns find exactly what the plain patterns find (privacy scan, tallies, decisions, sections)."""

from __future__ import annotations

import random

from digests import decisions, extract, privacy, sections, tallies, topics


def test_ascii_digit_patterns_match_like_the_plain_ones_in_text_without_other_digits() -> None:
    pieces = ["12", "7", "020 7946 0000", "+44 20 7946 0000", "(0)", "SW1A 1AA", "GIR 0AA", "E1 6AN", "High Street"]
    pieces += ["Flat", "3", "Road", "St.", " ", "  ", "\n", ",", "-", "(", ")", "+", "’", "–", "é", "£5", "x", "A"]
    rng = random.Random(8)
    pairs = [
        (privacy._DIGIT_RUN, privacy._DIGIT_RUN_ASCII),
        (privacy._ADDRESS, privacy._ADDRESS_ASCII),
        (privacy._POSTCODE, privacy._POSTCODE_ASCII),
    ]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert not privacy._has_non_ascii_digit(text)
        for plain, fast in pairs:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_non_ascii_digits_are_noticed() -> None:
    assert privacy._has_non_ascii_digit("call ٠٢٠ now")  # Arabic-Indic digits are `\d` too
    assert privacy._has_non_ascii_digit("ref １２")  # full-width
    assert not privacy._has_non_ascii_digit("NEC report – 3 March, £5, café, ½")  # ½ is numeric, not decimal


def test_the_reversed_lead_out_takes_off_what_the_plain_pattern_does() -> None:
    pieces = ["by", "By", " ", "  ", ",", "was", "were", "passed", "\t", "x", "nearby", "abby", "\u00a0", "\n", "."]
    rng = random.Random(1)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert decisions._without_lead_out(text) == decisions._TALLY_LEAD_OUT.sub("", text), repr(text)


def test_the_votes_pattern_searched_from_its_start_bound_finds_the_first_match() -> None:
    pattern = tallies._LOWERED_TEXT.figures[0][1]
    pieces = ["by", " ", "  ", "\t", "19", "1234", "seventeen", "a", "an", "no", "none", "votes", "vote", "devoted"]
    pieces += ["to", "against", "11", "(incl me)", "abstention", "x", ",", "twenty", "\u00a0"]
    rng = random.Random(2)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if "vote" not in text:
            continue
        plain, bounded = pattern.search(text), pattern.search(text, tallies._votes_search_start(text))
        assert (plain and (plain.span(), plain.groups())) == (bounded and (bounded.span(), bounded.groups())), text


def test_topic_hits_go_on_after_a_match_as_a_search_from_its_last_character_does() -> None:
    fast = topics._fast_pattern()
    assert fast is not None
    pattern, group_topic, _restart = fast

    def searched(text: str) -> list[int]:  # the plain form: every search starts at the last match's last character
        out: list[int] = []
        padded = " " + text.lower()
        found = pattern.search(padded)
        while found:
            out.append(group_topic[found.lastindex or 0])
            found = pattern.search(padded, found.end() - 1)
        return out

    pieces = ["£5", ",", ".", "£6", "policy", "policies", "suspended", "clause iv", "clause v", "staffing", "rule"]
    pieces += ["rules", " ", "-", "budget", "finance", "europe", "eu", "members", "x", "1", "_", "\n", "k", "m", "bn"]
    rng = random.Random(4)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert list(topics._topic_hits(text)) == searched(text), text


def test_the_privacy_scan_finds_what_the_plain_patterns_find() -> None:
    def plain(text: str) -> list[tuple[int, int, str, str]]:
        found = privacy._emails(text)
        for run in privacy._DIGIT_RUN.finditer(text):
            if len(run.group()) >= 8 and privacy._starts_cleanly(text, run.start(), privacy._NOT_BEFORE_DIGITS):
                found.extend(privacy._phones_in(run.group(), run.start()))
        for match in privacy._ADDRESS.finditer(text):
            clean = privacy._starts_cleanly(text, match.start(), privacy._NOT_BEFORE_ADDRESS)
            if clean and not privacy._PUBLIC_ADDRESSES.search(match.group()):
                found.append((match.start(), match.end(), "address", match.group()))
        for match in privacy._POSTCODE.finditer(text):
            if privacy._starts_cleanly(text, match.start(), privacy._NOT_BEFORE_POSTCODE):
                found.append((match.start(), match.end(), "postcode", match.group()))
        return found

    pieces = ["020 7946 0000", "+44 (0)20 7946 0000", "(020) 7946 0000", "07700 900123", "212-555-0123", "12"]
    pieces += ["SW1A 1AA", "GIR 0AA", "e1 6an", "10 Downing Street", "3 High Street", "Flat 2", "Road", " ", "\n"]
    pieces += ["(", "+", "+(", ")", "-", ",", "x", "A", "’", "–", "é", "٣", "19", "7", "£5", "a@b.org"]
    rng = random.Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert privacy._matches(text) == plain(text), text


def test_control_characters_are_counted_as_the_pattern_counts_them() -> None:
    pieces = ["a", "\x00", "\x07", "\x08", "\t", "\n", "\x0e", "\x1f", "\x7f", "\x80", "\x9f", "é", "–", "\ud800", "😀"]
    rng = random.Random(6)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        encoded = text.encode("utf-8", "surrogatepass")
        counted = len(encoded) - len(encoded.translate(None, extract._CONTROL_BYTES))
        assert counted == len(extract._CONTROL_CHARS.findall(text)), repr(text)


def test_a_line_opening_with_a_capital_is_no_heading_bullet_or_numbered_line() -> None:
    """`_classify` takes such a line as plain text without trying its line patterns: none can match it."""
    patterns = (sections._MD_HEADING, sections._BOLD_LINE, sections._BULLET, sections._NUMBERED)
    capitals = [c for c in map(chr, range(0x3000)) if c.isupper()]
    spaces = [" ", "  ", "\t", "\u00a0", "\u2003", "\x1c", ""]
    rest = ["", ".", ") x", ". Finance", "** x **", " Report", "# x"]
    rng = random.Random(6)
    for _ in range(5000):
        line = rng.choice(spaces) + rng.choice(capitals) + rng.choice(rest)
        assert line.strip()[0].isupper()
        assert not any(pattern.match(line) for pattern in patterns), line
        assert sections._classify(line).kind == "plain"
