"""`necdigest console`: type slash commands as in Discord and read what the bot would answer.

Each command runs the same query function as the bot's slash command and prints the same view
model through the text renderer, so the console shows what a member would see.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import render_text
from bot.slash import COMMANDS, SlashCommand, parse_slash
from digests.errors import UserFacingError
from digests.querydates import DateRange, parse_date_range, parse_day
from storage import queries

HELP = """Commands (as typed in Discord; free text goes to the first option, or name them as option:value):
  /decisions [year] [from:] [to:] [topic:] [person:] [query:]   e.g. /decisions 2013
  /who NAME                                                     e.g. /who Ann Black
  /meeting DATE                                                 e.g. /meeting 2022-03-29
  /latest
  /search QUERY                                                 e.g. /search proscription
  /reports [author:] [year:]                                    e.g. /reports author:Ann Black
  /about
  /help
Ctrl-D or /quit leaves."""


def decision_period(
    period: DateRange | None, date_from: date | None, date_to: date | None
) -> tuple[int | None, date | None, date | None]:
    """Turn the /decisions options into (year, from, to): a whole calendar year stays a year."""
    if period is None:
        return None, date_from, date_to
    start, end = period.start, period.end
    if start and end and start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return start.year, date_from, date_to
    return None, date_from or start, date_to or end


def _year_option(text: str | None) -> int | None:
    if text is None:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise UserFacingError(f"{text!r} is not a year; give four digits, e.g. 2013.")
    return int(text)


async def answer_command(session: AsyncSession, command: SlashCommand) -> str:
    """What the bot answers to one slash command, rendered as text."""
    opts = command.options
    match command.name:
        case "help":
            return HELP
        case "who":
            if "name" not in opts:
                raise UserFacingError("/who needs a name, e.g. /who Ann Black.")
            return render_text.render_profile(await queries.person_profile(session, opts["name"]))
        case "decisions":
            period = parse_date_range(opts["year"]) if "year" in opts else None
            start = parse_day(opts["from"]) if "from" in opts else None
            end = parse_day(opts["to"]) if "to" in opts else None
            year, start, end = decision_period(period, start, end)
            view = await queries.decisions(
                session,
                year=year,
                date_from=start,
                date_to=end,
                topic=opts.get("topic"),
                person=opts.get("person"),
                query=opts.get("query"),
            )
            return render_text.render_decisions(view)
        case "meeting":
            if "date" not in opts:
                raise UserFacingError("/meeting needs a date, e.g. /meeting 2022-03-29.")
            return render_text.render_meeting(await queries.meeting(session, parse_day(opts["date"])))
        case "latest":
            return render_text.render_meeting_list(await queries.latest(session, limit=10))
        case "search":
            return render_text.render_search(await queries.search(session, opts.get("query", ""), limit=20))
        case "reports":
            reports = await queries.reports(session, author=opts.get("author"), year=_year_option(opts.get("year")))
            return render_text.render_reports(reports)
        case "about":
            return render_text.render_stats(await queries.stats(session))
    raise UserFacingError(f"/{command.name} is a Discord-only command; try /help.")


async def answer_line(sessions: async_sessionmaker[AsyncSession], line: str) -> str:
    """Answer one typed line; user mistakes come back as a one-line message, not an exception."""
    try:
        command = parse_slash(line)
        # Read-only: a session with no transaction of its own reads through the SQLite twin (run_read).
        async with sessions() as session:
            return await answer_command(session, command)
    except UserFacingError as exc:
        return f"error: {exc}"


async def run_console(sessions: async_sessionmaker[AsyncSession], history_file: Path) -> None:
    """The interactive prompt, with history and completion of command and option names."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import WordCompleter
    from prompt_toolkit.history import FileHistory

    words = [f"/{name}" for name in COMMANDS] + ["/quit"]
    words += sorted({f"{option}:" for options in COMMANDS.values() for option in options})
    history_file.parent.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=FileHistory(str(history_file)), completer=WordCompleter(words, sentence=True)
    )
    print("NEC Digest console: type /help for the commands, Ctrl-D to leave.")
    while True:
        try:
            line = await prompt.prompt_async("nec> ")
        except (EOFError, KeyboardInterrupt):
            return
        line = line.strip()
        if not line:
            continue
        if line in {"/quit", "/exit"}:
            return
        print(await answer_line(sessions, line))
