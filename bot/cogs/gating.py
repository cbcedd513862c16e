"""Admin commands are gated twice: Discord's default_member_permissions, and a check at run time.

Server owners can change the Discord-side setting per command, so it is only a hint; the run-time
check is what actually keeps members out.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

ADMIN_PERMISSIONS = discord.Permissions(manage_guild=True)
GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)


def require_manage_guild(interaction: discord.Interaction[Any]) -> bool:
    """Raise the errors the tree turns into "you need Manage Server" / "use it in a server"."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


class AdminGroup(app_commands.Group):
    """A command group for server admins: hidden from members by default and re-checked when run."""

    def __init__(self, *, name: str, description: str) -> None:
        super().__init__(
            name=name,
            description=description,
            default_permissions=ADMIN_PERMISSIONS,
            guild_only=True,
            allowed_contexts=GUILD_ONLY,
        )

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return require_manage_guild(interaction)
