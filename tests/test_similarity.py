"""Body fingerprints: the stored sketch estimates how alike two reports are, stably across processes."""

from __future__ import annotations

import random
import subprocess
import sys

from storage.similarity import estimate_jaccard, jaccard, signature

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
