"""Sub-commands of the `necdigest` CLI; each module has `register(subparsers)`."""

COMMAND_MODULES: tuple[str, ...] = (
    "run",
    "parse",
    "eval",
    "ingest",
    "query",
    "db",
    "stats",
    "digest",
    "health",
    "console",
    "demo",
)
