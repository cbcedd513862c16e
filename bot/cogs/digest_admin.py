"""/digest: server admins schedule digests of new NEC meetings in their channels (replies ephemeral)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render_embed
from bot.cogs.gating import AdminGroup
from bot.render_digest import digest_embeds
from bot.respond import defer, send_pages, send_text
from bot.transformers import ScheduleOption, TimezoneOption
from digests.errors import NotFound, UserFacingError
from digests.views import SubscriptionView
from storage import subscriptions

if TYPE_CHECKING:
    from bot.client import NecDigestBot

log = logging.getLogger(__name__)

NEEDED_IN_CHANNEL = ("view_channel", "send_messages", "embed_links")


def describe(sub: SubscriptionView) -> str:
    filters = [f"{k} {v}" for k, v in (("topic", sub.topic), ("person", sub.person), ("keyword", sub.keyword)) if v]
    text = f"#{sub.id}: <#{sub.channel_id}>, {sub.schedule} ({sub.timezone})"
    return text + (f", only {', '.join(filters)}" if filters else "")


class DigestAdmin(commands.Cog):
    """Digest subscriptions of this server."""

    digest = AdminGroup(name="digest", description="Schedule digests of NEC meetings in this server's channels")

    def __init__(self, bot: NecDigestBot) -> None:
        self.bot = bot

    def _guild_id(self, interaction: discord.Interaction[Any]) -> int:
        assert interaction.guild_id is not None  # AdminGroup refuses direct messages
        return interaction.guild_id

    async def _own_subscription(self, interaction: discord.Interaction[Any], subscription_id: int) -> SubscriptionView:
        """The subscription, if it belongs to this server: admins manage only their own."""
        async with self.bot.sessions.begin() as session:
            mine = await subscriptions.list_subscriptions(session, self._guild_id(interaction))
        for sub in mine:
            if sub.id == subscription_id:
                return sub
        raise NotFound(f"This server has no digest subscription #{subscription_id}.", [f"#{s.id}" for s in mine[:5]])

    async def _rebuild_jobs(self) -> None:
        if self.bot.scheduler is not None:
            await self.bot.scheduler.rebuild()

    def _require_digests(self) -> Any:
        if self.bot.digest_service is None:
            raise UserFacingError("Digest posting is not available on this deployment.")
        return self.bot.digest_service

    @digest.command(name="subscribe", description="Post digests of new NEC meetings in a channel")
    @app_commands.describe(
        channel="Where to post",
        schedule="on-new, weekly mon 09:00, daily 18:30, monthly 1 09:00, or a cron expression",
        timezone="The schedule's timezone (default Europe/London)",
        topic="Only meetings with decisions on this topic",
        person="Only meetings naming this person",
        keyword="Only meetings whose reports contain this word",
    )
    async def subscribe(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        schedule: ScheduleOption,
        timezone: TimezoneOption = "Europe/London",
        topic: app_commands.Range[str, 1, 100] | None = None,
        person: app_commands.Range[str, 1, 100] | None = None,
        keyword: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        me = channel.guild.me
        if me is not None:
            allowed = channel.permissions_for(me)
            missing = [p for p in NEEDED_IN_CHANNEL if not getattr(allowed, p)]
            if missing:
                names = ", ".join(p.replace("_", " ").title() for p in missing)
                raise UserFacingError(f"I cannot post in {channel.mention}: I need {names} there.")
        await defer(interaction, ephemeral=True)
        async with self.bot.sessions.begin() as session:
            sub = await subscriptions.add_subscription(
                session,
                guild_id=self._guild_id(interaction),
                channel_id=channel.id,
                schedule=schedule.text,
                timezone=timezone,
                topic=topic,
                person=person,
                keyword=keyword,
                created_by=interaction.user.id,
            )
        await self._rebuild_jobs()
        await send_text(interaction, f"Subscribed {describe(sub)}.")

    @digest.command(name="list", description="This server's digest subscriptions")
    async def list_(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction, ephemeral=True)
        async with self.bot.sessions.begin() as session:
            subs = await subscriptions.list_subscriptions(session, self._guild_id(interaction))
        await send_pages(interaction, render_embed.subscription_list(subs), ephemeral=True)

    @digest.command(name="unsubscribe", description="Stop a digest subscription")
    @app_commands.describe(subscription="The subscription's number (see /digest list)")
    async def unsubscribe(self, interaction: discord.Interaction[Any], subscription: int) -> None:
        await defer(interaction, ephemeral=True)
        sub = await self._own_subscription(interaction, subscription)
        async with self.bot.sessions.begin() as session:
            await subscriptions.remove_subscription(
                session, guild_id=self._guild_id(interaction), subscription_id=sub.id
            )
        await self._rebuild_jobs()
        await send_text(interaction, f"Unsubscribed {describe(sub)}.")

    @digest.command(name="preview", description="Show what a subscription would post now (only to you)")
    @app_commands.describe(subscription="The subscription's number (see /digest list)")
    async def preview(self, interaction: discord.Interaction[Any], subscription: int) -> None:
        await defer(interaction, ephemeral=True)
        service = self._require_digests()
        sub = await self._own_subscription(interaction, subscription)
        async with self.bot.sessions.begin() as session:
            view = await service.preview(session, sub.id)
        pages = [embed for message in digest_embeds(view) for embed in message]
        if not pages:
            await send_text(interaction, "Nothing to preview yet: no meeting matches this subscription.")
            return
        await send_pages(interaction, pages, ephemeral=True)

    @digest.command(name="post-now", description="Post what is due for a subscription now")
    @app_commands.describe(subscription="The subscription's number (see /digest list)")
    async def post_now(self, interaction: discord.Interaction[Any], subscription: int) -> None:
        await defer(interaction, ephemeral=True)
        service = self._require_digests()
        sub = await self._own_subscription(interaction, subscription)
        posted = await service.post_now(sub.id)
        if posted:
            await send_text(interaction, f"Posted {posted} meeting{'s' if posted != 1 else ''} to <#{sub.channel_id}>.")
        else:
            await send_text(interaction, f"Nothing new to post to <#{sub.channel_id}>; it is up to date.")

    @digest.command(name="resume", description="Resume a paused digest subscription")
    @app_commands.describe(subscription="The subscription's number (see /digest list)")
    async def resume(self, interaction: discord.Interaction[Any], subscription: int) -> None:
        await defer(interaction, ephemeral=True)
        sub = await self._own_subscription(interaction, subscription)
        if sub.state == subscriptions.ACTIVE:
            await send_text(interaction, f"Digest {describe(sub)} is not paused; nothing to resume.")
            return
        async with self.bot.sessions.begin() as session:
            sub = await subscriptions.resume_subscription(
                session, guild_id=self._guild_id(interaction), subscription_id=sub.id
            )
        await self._rebuild_jobs()
        if self.bot.digest_service is not None:
            # Posts the channel refused are retried now, not at the next report or schedule; if
            # the channel still refuses, the subscription pauses again and the admins are told.
            self.bot.spawn(self.bot.digest_service.run_subscription(sub.id), name=f"resume digest {sub.id}")
        await send_text(interaction, f"Resumed {describe(sub)}. Anything it could not post is being retried now.")

    @unsubscribe.autocomplete("subscription")
    @preview.autocomplete("subscription")
    @post_now.autocomplete("subscription")
    @resume.autocomplete("subscription")
    async def subscription_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        try:
            async with self.bot.sessions() as session:
                subs = await subscriptions.list_subscriptions(session, interaction.guild_id)
        except Exception:
            log.exception("subscription autocomplete failed")
            return []
        typed = current.strip().lstrip("#")
        return [
            app_commands.Choice(
                name=describe(s).replace(f"<#{s.channel_id}>", f"channel {s.channel_id}")[:100], value=s.id
            )
            for s in subs
            if typed in str(s.id) or typed.lower() in s.schedule
        ][:25]


async def setup(bot: NecDigestBot) -> None:
    await bot.add_cog(DigestAdmin(bot))
