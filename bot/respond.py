"""Acknowledging interactions and sending rendered pages: the same few steps for every command."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.paginator import DEFAULT_TIMEOUT, Paginator


async def defer(interaction: discord.Interaction[Any], *, ephemeral: bool = False) -> None:
    """Acknowledge now ("thinking…") because the answer may take longer than Discord's 3 seconds."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        interaction.extras["deferred_public"] = not ephemeral


async def send_pages(
    interaction: discord.Interaction[Any],
    pages: Sequence[discord.Embed],
    *,
    ephemeral: bool = False,
    view_timeout: float | None = None,
) -> None:
    """Send one page as it is, or several behind a paginator only the invoker can turn."""
    if view_timeout is None:
        view_timeout = getattr(interaction.client, "view_timeout", DEFAULT_TIMEOUT)
    view = Paginator(pages, owner_id=interaction.user.id, timeout=view_timeout) if len(pages) > 1 else None
    kwargs: dict[str, Any] = {"embed": pages[0], "ephemeral": ephemeral}
    if view is not None:
        kwargs["view"] = view
    interaction.extras["answered"] = True
    if interaction.response.is_done():
        message = await interaction.followup.send(wait=True, **kwargs)
        if view is not None:
            view.message = message
        return
    callback = await interaction.response.send_message(**kwargs)
    if view is not None:
        resource = callback.resource
        view.message = resource if isinstance(resource, discord.InteractionMessage) else None


async def send_text(interaction: discord.Interaction[Any], text: str, *, ephemeral: bool = True) -> None:
    """A short confirmation line (admin commands answer this way)."""
    interaction.extras["answered"] = True
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=ephemeral)
    else:
        await interaction.response.send_message(text, ephemeral=ephemeral)
