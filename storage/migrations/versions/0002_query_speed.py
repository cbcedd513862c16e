"""query speed: meeting columns copied into link tables, newest-first indexes, a decision word index

`report_people` gains the report's meeting id and date, so that a person's mention count, meetings
count and latest meeting are one index range scan (no join through reports and meetings).
`decision_topics` gains the decision's meeting date, so that a topic's decisions come newest first
straight from an index. Decisions get a word index over subject and text for the keyword and person
filters of /decisions: an FTS5 table kept in step by triggers on SQLite, a GIN index on a 'simple'
tsvector on PostgreSQL. Existing rows are filled in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (not imported) so that this migration keeps meaning what it meant when written.
SQLITE_DECISION_WORDS = [
    "CREATE VIRTUAL TABLE decision_fts USING fts5("
    "subject, text, content='decisions', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER decisions_words_ai AFTER INSERT ON decisions BEGIN "
    "INSERT INTO decision_fts(rowid, subject, text) VALUES (new.id, new.subject, new.text); END",
    "CREATE TRIGGER decisions_words_ad AFTER DELETE ON decisions BEGIN "
    "INSERT INTO decision_fts(decision_fts, rowid, subject, text) VALUES ('delete', old.id, old.subject, old.text); END",
    "CREATE TRIGGER decisions_words_au AFTER UPDATE OF subject, text ON decisions BEGIN "
    "INSERT INTO decision_fts(decision_fts, rowid, subject, text) VALUES ('delete', old.id, old.subject, old.text); "
    "INSERT INTO decision_fts(rowid, subject, text) VALUES (new.id, new.subject, new.text); END",
    "INSERT INTO decision_fts(decision_fts) VALUES ('rebuild')",
]
SQLITE_DECISION_WORDS_DROP = [
    "DROP TRIGGER IF EXISTS decisions_words_au",
    "DROP TRIGGER IF EXISTS decisions_words_ad",
    "DROP TRIGGER IF EXISTS decisions_words_ai",
    "DROP TABLE IF EXISTS decision_fts",
]
POSTGRES_DECISION_WORDS = [
    "CREATE INDEX ix_decisions_words ON decisions USING gin (to_tsvector('simple', subject || ' ' || text))",
]
POSTGRES_DECISION_WORDS_DROP = ["DROP INDEX IF EXISTS ix_decisions_words"]

FILL_REPORT_PEOPLE = (
    "UPDATE report_people SET "
    "meeting_id = (SELECT r.meeting_id FROM reports r WHERE r.id = report_people.report_id), "
    "meeting_date = (SELECT mt.meeting_date FROM reports r JOIN meetings mt ON mt.id = r.meeting_id "
    "WHERE r.id = report_people.report_id)"
)
FILL_DECISION_TOPICS = (
    "UPDATE decision_topics SET meeting_date = "
    "(SELECT d.meeting_date FROM decisions d WHERE d.id = decision_topics.decision_id)"
)


def upgrade() -> None:
    with op.batch_alter_table("report_people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("meeting_date", sa.Date(), nullable=True))
        batch_op.drop_index("ix_report_people_person_id")
    with op.batch_alter_table("decision_topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_date", sa.Date(), nullable=True))
        batch_op.drop_index("ix_decision_topics_topic_id")

    # Fill the copies before indexing them: one pass each, whatever the size of the corpus.
    op.execute(FILL_REPORT_PEOPLE)
    op.execute(FILL_DECISION_TOPICS)

    with op.batch_alter_table("report_people", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_people_person_id_meeting_date",
            ["person_id", "meeting_date", "meeting_id", "mentions"],
            unique=False,
        )
    with op.batch_alter_table("decision_topics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_decision_topics_topic_id_meeting_date", ["topic_id", "meeting_date", "decision_id"], unique=False
        )

    dialect = op.get_bind().dialect.name
    for statement in (
        SQLITE_DECISION_WORDS if dialect == "sqlite" else POSTGRES_DECISION_WORDS if dialect == "postgresql" else []
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in (
        SQLITE_DECISION_WORDS_DROP
        if dialect == "sqlite"
        else POSTGRES_DECISION_WORDS_DROP
        if dialect == "postgresql"
        else []
    ):
        op.execute(statement)
    with op.batch_alter_table("decision_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_topics_topic_id_meeting_date")
        batch_op.create_index("ix_decision_topics_topic_id", ["topic_id"], unique=False)
        batch_op.drop_column("meeting_date")
    with op.batch_alter_table("report_people", schema=None) as batch_op:
        batch_op.drop_index("ix_report_people_person_id_meeting_date")
        batch_op.create_index("ix_report_people_person_id", ["person_id"], unique=False)
        batch_op.drop_column("meeting_date")
        batch_op.drop_column("meeting_id")
