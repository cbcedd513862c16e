"""The heartbeat file: the running bot touches it, `necdigest health` reads its age."""

from __future__ import annotations

import time
from pathlib import Path


def touch(path: Path) -> None:
    """Mark the gateway as alive now."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def age_seconds(path: Path) -> float | None:
    """Seconds since the running bot last touched the file; None if it never did."""
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return None
