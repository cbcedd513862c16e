"""Body fingerprints: the stored sketch estimates how alike two reports are, stably across processes."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import zlib

from storage.similarity import (
    _NON_WORD_CHARACTERS,
    _shingle_hashes_of,
    encoded_words,
    estimate_jaccard,
    jaccard,
    signature,
    sketch_words,
    words,
)

WORDS = [
    "membership",
    "boundaries",
    "Eastmere",
    "budget",
    "selections",
    "panel",
    "regional",
    "office",
    "treasurer",
    "ballot",
    "motion",
]


def invented_text(rng: random.Random, sentences: int) -> str:
    return " ".join(" ".join(rng.choice(WORDS) for _ in range(12)) + "." for _ in range(sentences))


def test_sketch_estimate_tracks_the_exact_similarity() -> None:
    rng = random.Random(5)
    for changed in (0, 2, 8, 20, 40):
        original = invented_text(rng, 60).split(". ")
        edited = list(original)
        for i in rng.sample(range(len(edited)), changed):
            edited[i] = invented_text(rng, 1).rstrip(".")
        a, b = ". ".join(original), ". ".join(edited)
        exact = jaccard(a, b)
        assert abs(estimate_jaccard(signature(a), signature(b)) - exact) < 0.12, (changed, exact)


def test_unrelated_texts_look_unrelated_and_identical_ones_identical() -> None:
    rng = random.Random(9)
    a, b = invented_text(rng, 40), invented_text(rng, 40)
    assert estimate_jaccard(signature(a), signature(b)) < 0.1
    assert estimate_jaccard(signature(a), signature(a)) == 1.0


def test_sketches_of_an_older_version_defer_to_the_exact_check() -> None:
    text = invented_text(random.Random(1), 30)
    older = "9f3a2c41b7d0e8aa,a07c33d2e91b4f10"  # version 1 stored no prefix
    assert estimate_jaccard(signature(text), older) == 1.0


def test_sketch_is_the_same_in_another_process() -> None:
    text = invented_text(random.Random(3), 30)
    code = f"from storage.similarity import signature; print(signature({text!r}))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == signature(text)


def test_words_and_shingles_match_their_plain_definitions() -> None:
    """The fast paths (blanked punctuation, words kept as bytes) give the tokens of `\\w+` on the lower-cased text
    and the CRC-32 of each five joined words, also for text that stays non-ASCII."""
    pieces = ["Eastmere", "NEC", "x_y", "42", "İstanbul", "ΟΔΟΣ’Α", "café", "½", "ﬁnance", "中文", "a–b", "“q”"]
    pieces += [*_NON_WORD_CHARACTERS, " ", "\n", "-", "'", "£5"]
    rng = random.Random(12)
    for _ in range(300):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.5:
            text = "".join(c for c in text if c.isascii() or c in _NON_WORD_CHARACTERS)
        tokens = words(text)
        assert tokens == re.findall(r"\w+", text.lower()), text
        assert encoded_words(text) == [token.encode() for token in tokens], text
        shingles = {" ".join(tokens[i : i + 5]) for i in range(len(tokens) - 4)} or {" ".join(tokens)}
        expected = {zlib.crc32(s.encode()) for s in shingles} if tokens else set()
        assert _shingle_hashes_of(encoded_words(text)) == expected
    assert not any(re.fullmatch(r"\w", c) for c in _NON_WORD_CHARACTERS)


def test_the_sketch_is_the_smallest_hashes_of_all_shingles() -> None:
    """Long texts keep only the hashes below a limit before sorting; the sketch is still the bottom-k of every
    shingle hash in lower-case hex, also for repetitive text where too few distinct hashes fall below it."""
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(300)]
    for size in (0, 3, 5, 60, 600, 2000, 6000):
        for repetitive in (False, True):
            pool = vocabulary[:4] if repetitive else vocabulary
            tokens = [rng.choice(pool).encode() for _ in range(size)]
            every = sorted(_shingle_hashes_of(tokens))[:128]
            assert sketch_words(tokens) == "2:" + ",".join(format(h, "x") for h in every)
