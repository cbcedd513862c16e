"""SQLAlchemy models: the one description of the schema (Alembic migrations must agree with it).

Full-text search lives beside these tables: `search_docs` holds one row per searchable thing
(report body, section, decision); SQLite indexes it with an FTS5 table kept in step by triggers,
PostgreSQL with a generated tsvector column and a GIN index. Decisions have a word index of their
own (subject and text) for the /decisions keyword and person filters: FTS5 `decision_fts` on SQLite,
GIN `ix_decisions_words` on PostgreSQL. All are created by the migrations and left out of the
models because they are dialect-specific.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC; SQLite hands back naive values, so tag them UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), date: Date()}


class Source(Base):
    """A followed feed or page, with its fetch state and back-off."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "feed" | "page" | "auto" (told apart on fetch)
    backfill: Mapped[bool] = mapped_column(Boolean, default=False)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    last_checked: Mapped[datetime | None]
    last_success: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    next_check_at: Mapped[datetime | None] = mapped_column(index=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    added_by: Mapped[str | None] = mapped_column(String(100))
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Meeting(Base):
    """One meeting of one body on one date; several reports may describe it."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("body", "meeting_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[date] = mapped_column(index=True)


class Report(Base):
    """One member's account of one meeting, as ingested."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    title_key: Mapped[str] = mapped_column(String(500), index=True)
    authors: Mapped[list[str]] = mapped_column(JSON)
    published: Mapped[date | None]
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    parser_version: Mapped[str] = mapped_column(String(32))
    body_hash: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[str] = mapped_column(Text)
    clean_text: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    warnings: Mapped[list[str]] = mapped_column(JSON)


class Section(Base):
    __tablename__ = "sections"
    __table_args__ = (Index("ix_sections_report_id_position", "report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)


class Decision(Base):
    """One decision as one report describes it."""

    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_report_id_position", "report_id", "position"),
        Index("ix_decisions_meeting_date_id", "meeting_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    # Copied from the meeting so that year and range filters are one index range scan.
    meeting_date: Mapped[date | None]
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    abstain: Mapped[int | None]
    unanimous: Mapped[bool] = mapped_column(Boolean, default=False)
    committee: Mapped[str | None] = mapped_column(String(200))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    key: Mapped[str] = mapped_column(String(200), index=True)


class PersonAlias(Base):
    __tablename__ = "person_aliases"
    __table_args__ = (UniqueConstraint("person_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)


class PersonRole(Base):
    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "role", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]


class ReportPerson(Base):
    """How often a report names a person (the mention count behind `/who`)."""

    __tablename__ = "report_people"
    __table_args__ = (
        # A person's mentions, meetings and latest meeting in one index range scan, newest first.
        Index("ix_report_people_person_id_meeting_date", "person_id", "meeting_date", "meeting_id", "mentions"),
    )

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    # Copied from the report's meeting (rewritten with the report), so `/who` needs no join.
    meeting_id: Mapped[int | None]
    meeting_date: Mapped[date | None]


class Mention(Base):
    """A sentence of a report that names a person."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_person_id_report_id", "person_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    section: Mapped[str | None] = mapped_column(String(500))
    sentence: Mapped[str] = mapped_column(Text)


class ReportAuthor(Base):
    __tablename__ = "report_authors"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class DecisionTopic(Base):
    __tablename__ = "decision_topics"
    __table_args__ = (
        # A topic's decisions newest first, straight from the index.
        Index("ix_decision_topics_topic_id_meeting_date", "topic_id", "meeting_date", "decision_id"),
    )

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    # Copied from the decision, like decisions.meeting_date.
    meeting_date: Mapped[date | None]


class ReportTopic(Base):
    __tablename__ = "report_topics"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True)


class DecisionPerson(Base):
    """A person a report ties to a decision ("named", "moved", "voted for"...)."""

    __tablename__ = "decision_people"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True)
    relation: Mapped[str] = mapped_column(String(50), primary_key=True)


class SearchDoc(Base):
    """One searchable thing: a report body ("report"), a section or a decision."""

    __tablename__ = "search_docs"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class Subscription(Base):
    """A channel's digest subscription; the cursor records what it has already covered."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_guild_id_channel_id", "guild_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    schedule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    topic: Mapped[str | None] = mapped_column(String(100))
    person: Mapped[str | None] = mapped_column(String(200))
    keyword: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cursor_meeting_date: Mapped[date | None]
    cursor_meeting_id: Mapped[int | None]
    cursor_ingested_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16), default="active")
    paused_reason: Mapped[str | None] = mapped_column(String(500))


class Post(Base):
    """A (subscription, meeting) claim: claimed before posting, posted with its message id after."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("subscription_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="claimed")  # claimed | posted | failed
    nonce: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))
