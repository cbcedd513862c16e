"""The command tree: the one place app-command errors become a short ephemeral line for the user."""

from __future__ import annotations

import logging
import time
from typing import Any

import discord
from discord import app_commands

from digests.errors import NotFound, UserFacingError

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Sorry, something went wrong while answering that. It has been logged; please try again later."
_PERMISSION_NAMES = {"manage_guild": "Manage Server"}


def permission_label(name: str) -> str:
    """Discord's own wording for a permission flag ("manage_guild" -> "Manage Server")."""
    return _PERMISSION_NAMES.get(name, name.replace("_", " ").title())


def user_message(error: Exception) -> str | None:
    """The one line to show for an error a user can act on; None for a bug."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, NotFound | UserFacingError):
        return str(original)
    if isinstance(error, app_commands.TransformerError):
        cause = error.__cause__
        if isinstance(cause, UserFacingError):
            return str(cause)
        return f"{error.value!r} is not a valid {error.transformer._error_display_name}."
    if isinstance(error, app_commands.MissingPermissions):
        needed = ", ".join(permission_label(p) for p in error.missing_permissions)
        return f"You need the {needed} permission to use this command."
    if isinstance(error, app_commands.BotMissingPermissions):
        needed = ", ".join(permission_label(p) for p in error.missing_permissions)
        return f"I need the {needed} permission in this channel to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server, not in direct messages."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"That command is cooling down; try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    return None


def describe_options(interaction: discord.Interaction[Any]) -> dict[str, Any]:
    """The options a member typed, for the log line of a failure."""
    namespace = interaction.namespace
    return {key: value for key, value in namespace} if namespace is not None else {}


def command_name(interaction: discord.Interaction[Any]) -> str:
    command = interaction.command
    return command.qualified_name if command is not None else "?"


def elapsed_ms(interaction: discord.Interaction[Any]) -> float:
    started = interaction.extras.get("started")
    return (time.perf_counter() - started) * 1000 if started is not None else 0.0


async def reply_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Send one ephemeral line, whether or not the interaction was already acknowledged.

    A public "thinking…" placeholder is deleted first, so that the line stays between the bot and
    the member who asked instead of replacing the placeholder in the channel.
    """
    if not interaction.response.is_done():
        await interaction.response.send_message(text, ephemeral=True)
        return
    if interaction.extras.get("deferred_public") and not interaction.extras.get("answered"):
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.debug("could not delete the placeholder of %s", command_name(interaction))
    await interaction.followup.send(text, ephemeral=True)


class NecDigestTree(app_commands.CommandTree[Any]):
    """Times every command, logs one line per command, and owns the one error handler."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        interaction.extras["started"] = time.perf_counter()
        return True

    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /) -> None:
        message = user_message(error)
        if message is None:
            original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
            log.error(
                "command failed: /%s guild=%s channel=%s user=%s options=%r",
                command_name(interaction),
                interaction.guild_id,
                interaction.channel_id,
                interaction.user.id if interaction.user else None,
                describe_options(interaction),
                exc_info=original,
            )
            message = GENERIC_FAILURE
        else:
            log.info(
                "command refused: /%s guild=%s duration_ms=%.1f reason=%s",
                command_name(interaction),
                interaction.guild_id,
                elapsed_ms(interaction),
                type(error).__name__,
            )
        try:
            await reply_ephemeral(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell the user about a failed /%s", command_name(interaction))
