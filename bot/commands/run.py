"""`necdigest run`: start the Discord bot."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.settings import get_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    parser.set_defaults(func=run)


def configure_logging(level: str) -> None:
    """One line per event on stderr, at LOG_LEVEL; discord.py's own chatter at WARNING."""
    logging.getLogger().setLevel(level.upper())
    logging.getLogger("discord").setLevel(max(logging.WARNING, logging.getLogger().level))


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(
            "necdigest run: DISCORD_TOKEN is not set; copy .env.example to .env and fill it in "
            "(or try the offline commands: necdigest demo, necdigest console).",
            file=sys.stderr,
        )
        return 2
    # Imported here so that the offline commands do not pay for discord.py's import.
    from bot.app import StartupError, serve

    if not args.verbose:
        configure_logging(settings.log_level)
    try:
        asyncio.run(serve(settings))
    except StartupError as exc:
        print(f"necdigest run: {exc}", file=sys.stderr)
        return 1
    return 0
