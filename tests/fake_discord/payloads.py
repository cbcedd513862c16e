"""Builders for the JSON objects Discord's API sends: users, guilds, members, channels, messages.

Shapes follow Discord's API v10 documentation; only fields discord.py reads or tests look at are filled.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Discord permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MANAGE_GUILD = 1 << 5
USE_APPLICATION_COMMANDS = 1 << 31
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD
BOT_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY

_DISCORD_EPOCH_MS = 1420070400000


class Snowflakes:
    """Snowflake ids that increase like Discord's (timestamp in the high bits)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self) -> str:
        now_ms = int(datetime.now(UTC).timestamp() * 1000) - _DISCORD_EPOCH_MS
        return str((now_ms << 22) | (next(self._counter) & 0x3FFFFF))


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class FakeUser:
    id: str
    username: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "global_name": self.username,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class FakeRole:
    id: str
    name: str
    permissions: int
    position: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class FakeChannel:
    id: str
    guild_id: str
    name: str
    type: int = 0  # GUILD_TEXT

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "guild_id": self.guild_id,
            "name": self.name,
            "type": self.type,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
        }


@dataclass
class FakeMember:
    user: FakeUser
    roles: list[FakeRole]

    def permissions(self, guild: FakeGuild) -> int:
        perms = guild.everyone.permissions
        for role in self.roles:
            perms |= role.permissions
        return perms

    def payload(self) -> dict[str, Any]:
        return {
            "user": self.user.payload(),
            "roles": [r.id for r in self.roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
        }


@dataclass
class FakeGuild:
    id: str
    name: str
    owner_id: str
    everyone: FakeRole
    roles: list[FakeRole] = field(default_factory=list)
    channels: list[FakeChannel] = field(default_factory=list)
    members: list[FakeMember] = field(default_factory=list)

    def channel(self, name: str) -> FakeChannel:
        return next(c for c in self.channels if c.name == name)

    def member(self, user: FakeUser) -> FakeMember:
        return next(m for m in self.members if m.user.id == user.id)

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": self.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [self.everyone.payload()] + [r.payload() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-GB",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [m.payload() for m in self.members],
            "channels": [c.payload() for c in self.channels],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


def message_payload(
    *,
    message_id: str,
    channel_id: str,
    author: FakeUser,
    body: dict[str, Any],
    guild_id: str | None = None,
    application_id: str | None = None,
    message_type: int = 0,
) -> dict[str, Any]:
    """A message as Discord returns it, built from the JSON body the client sent."""
    message: dict[str, Any] = {
        "id": message_id,
        "channel_id": channel_id,
        "author": author.payload(),
        "content": body.get("content") or "",
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": list(body.get("embeds") or []),
        "components": list(body.get("components") or []),
        "pinned": False,
        "type": message_type,
        "flags": int(body.get("flags") or 0),
    }
    if "nonce" in body:
        message["nonce"] = body["nonce"]
    if guild_id is not None:
        message["guild_id"] = guild_id
    if application_id is not None:
        message["application_id"] = application_id
        message["webhook_id"] = application_id
    return message
