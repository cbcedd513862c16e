"""Dialect-specific full-text objects that the models leave out, and how Alembic ignores them."""

from __future__ import annotations

from typing import Any

# SQLite: an external-content FTS5 index over search_docs, kept in step by triggers so that every
# insert and delete of search_docs (including cascades from reports) updates it.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, text, content='search_docs', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
    "INSERT INTO search_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO search_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]

# PostgreSQL: a generated tsvector (title weighted above text) with a GIN index.
POSTGRES_FTS = [
    "ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED",
    "CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)",
    "CREATE INDEX ix_people_key_trgm_prefix ON people (key text_pattern_ops)",
]

# The decision word index (migration 0002): FTS5 `decision_fts` on SQLite, and on PostgreSQL a GIN
# index over this expression (a query must spell it the same way for the planner to use the index).
DECISION_FTS = "decision_fts"
DECISION_WORDS_PG = "to_tsvector('simple', decisions.subject || ' ' || decisions.text)"

FTS_TABLE_PREFIXES = ("search_fts", DECISION_FTS)
UNMODELLED_INDEXES = {"ix_search_docs_tsv", "ix_people_key_trgm_prefix", "ix_decisions_words"}


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic filter: skip the FTS5 tables (and their shadow tables) and the tsvector column/indexes."""
    if name is None:
        return True
    if type_ == "table" and name.startswith(FTS_TABLE_PREFIXES):
        return False
    if type_ == "column" and name == "tsv":
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)
