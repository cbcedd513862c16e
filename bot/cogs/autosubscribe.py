"""Local party channels get new NEC reports without anyone asking: auto-subscribe by channel name.

When the bot joins a guild, and when a channel is created, text channels whose names match
AUTO_SUBSCRIBE_CHANNELS (fnmatch patterns such as `nec-reports,clp-*`) get an `on-new`
subscription. It is idempotent (a second event finds the subscription already there), and the
guild's admins are told once, the first time the bot subscribes a channel of theirs, how to change it.
"""

from __future__ import annotations

import fnmatch
import logging
from typing import Any

import discord
from discord.ext import commands

from digests.schedule import ON_NEW
from storage import subscriptions as subs

log = logging.getLogger(__name__)


def matches(name: str, patterns: list[str]) -> bool:
    """True if a channel name matches one of the patterns (case-insensitive)."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in patterns)


class AutoSubscribe(commands.Cog):
    """Subscribes matching channels `on-new` on guild join and channel creation."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    @property
    def patterns(self) -> list[str]:
        patterns: list[str] = self.bot.settings.auto_subscribe_patterns
        return patterns

    async def subscribe_matching(self, guild: discord.Guild, channels: list[discord.TextChannel]) -> int:
        """Subscribe the matching channels the bot can post in; returns how many were new."""
        me = self.bot.user.id if self.bot.user else 0
        wanted = [c for c in channels if matches(c.name, self.patterns) and c.permissions_for(guild.me).send_messages]
        if not wanted:
            return 0
        created = 0
        async with self.bot.sessions.begin() as session:
            first_time = await subs.count_subscriptions_by(session, guild_id=guild.id, created_by=me) == 0
            for channel in wanted:
                _view, new = await subs.ensure_subscription(
                    session, guild_id=guild.id, channel_id=channel.id, schedule=ON_NEW, created_by=me
                )
                created += int(new)
        if created:
            log.info("auto-subscribed %d channel(s) in guild %s", created, guild.id)
            await self._rebuild()
        if created and first_time:
            await self._tell_admins(guild, wanted)
        return created

    async def _rebuild(self) -> None:
        scheduler = getattr(self.bot, "scheduler", None)
        if scheduler is not None:
            await scheduler.rebuild()

    async def _tell_admins(self, guild: discord.Guild, channels: list[discord.TextChannel]) -> None:
        names = ", ".join(f"<#{c.id}>" for c in channels[:10])
        text = (
            f"NEC Digest will post new NEC meeting reports in {names} as they arrive (channels named like "
            f"`{', '.join(self.patterns)}` are subscribed automatically). See them with `/digest list`; "
            "stop one with `/digest unsubscribe`."
        )
        service = getattr(self.bot, "digest_service", None)
        if service is not None:
            await service.poster.notify_admins(guild.id, text)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.subscribe_matching(guild, list(guild.text_channels))

    @commands.Cog.listener()
    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        if isinstance(channel, discord.TextChannel):
            await self.subscribe_matching(channel.guild, [channel])


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(AutoSubscribe(bot))
