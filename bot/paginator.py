"""Pages of embeds behind Previous/Next buttons that only the member who asked can press."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 180.0
NOT_YOURS = "Only the person who ran this command can turn its pages; run it yourself to get your own copy."


class Paginator(discord.ui.View):
    """Navigates pre-rendered pages; renderers keep every page within Discord's limits."""

    def __init__(self, pages: Sequence[discord.Embed], *, owner_id: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        if not pages:
            raise ValueError("a paginator needs at least one page")
        self.pages = list(pages)
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | discord.InteractionMessage | discord.WebhookMessage | None = None
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.index == 0
        self.next_page.disabled = self.index >= len(self.pages) - 1
        self.position.label = f"{self.index + 1} / {len(self.pages)}"

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    async def _show(self, interaction: discord.Interaction[Any], index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary, custom_id="page:previous")
    async def previous_page(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="1 / 1", style=discord.ButtonStyle.secondary, custom_id="page:position", disabled=True)
    async def position(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary, custom_id="page:next")
    async def next_page(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        await self._show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is None:
            return
        try:
            await self.message.edit(view=self)
        except discord.HTTPException:
            # The message was deleted or the interaction token expired: nothing left to disable.
            log.debug("could not disable the buttons of an expired paginator")
