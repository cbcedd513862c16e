"""Slash commands typed as text (`/who Ann Black`, `/decisions year:2013 topic:finance`).

The console reads commands the way a member types them in Discord: a command name, then either
named options (`name:value`) or free text for the command's first option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from digests.errors import UserFacingError

# Each command's options in Discord's order; the first takes free text typed without a name.
COMMANDS: dict[str, tuple[str, ...]] = {
    "decisions": ("year", "from", "to", "topic", "person", "query"),
    "who": ("name",),
    "meeting": ("date",),
    "latest": (),
    "search": ("query",),
    "reports": ("author", "year"),
    "about": (),
    "digest": ("since", "topic", "person", "keyword"),
    "help": (),
}

_OPTION = re.compile(r"(?:(?<=\s)|^)([a-z_]+):")


@dataclass(frozen=True, slots=True)
class SlashCommand:
    name: str
    options: dict[str, str] = field(default_factory=dict)


def parse_slash(line: str) -> SlashCommand:
    """Split a typed slash command into its name and options; unknown commands or options raise."""
    text = line.strip()
    if not text.startswith("/"):
        raise UserFacingError("Commands start with '/': try /help.")
    name, _, rest = text[1:].partition(" ")
    name = name.lower()
    if name not in COMMANDS:
        known = ", ".join(f"/{c}" for c in COMMANDS)
        raise UserFacingError(f"Unknown command /{name}. Commands: {known}.")
    allowed = COMMANDS[name]
    options: dict[str, str] = {}
    matches = [m for m in _OPTION.finditer(rest) if m.group(1) in allowed]
    free = rest[: matches[0].start()] if matches else rest
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(rest)
        options[match.group(1)] = rest[match.end() : end].strip()
    free = free.strip()
    if free:
        if not allowed:
            raise UserFacingError(f"/{name} takes no options.")
        options.setdefault(allowed[0], free)
    return SlashCommand(name, {k: v for k, v in options.items() if v})
