"""`necdigest run`: start the Discord bot."""

from __future__ import annotations

import argparse
import sys

from bot.settings import get_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(
            "necdigest run: DISCORD_TOKEN is not set; copy .env.example to .env and fill it in "
            "(or try the offline commands: necdigest demo, necdigest console).",
            file=sys.stderr,
        )
        return 2
    print("necdigest run: the Discord client is not wired in yet.", file=sys.stderr)
    return 1
