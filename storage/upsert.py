"""Which dialect a session talks to."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session


def dialect_name(session: AsyncSession | Session) -> str:
    """ "sqlite" or "postgresql"."""
    return session.get_bind().dialect.name
