"""◀ ▶ buttons over a list of replies (/expert, /articles list)."""

from __future__ import annotations

import discord

from .render import to_embed
from .replies.models import Reply

PAGE_TIMEOUT = 300.0


class Pages(discord.ui.View):
    """Only the person who ran the command can turn the pages; others are told to run it themselves."""

    def __init__(self, pages: list[Reply], owner_id: int, command: str, timeout: float = PAGE_TIMEOUT):
        super().__init__(timeout=timeout)
        self.pages, self.owner_id, self.command, self.index = pages, owner_id, command, 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(f"Run `{self.command}` yourself to browse these pages.", ephemeral=True)
            return False
        return True

    async def _show(self, interaction: discord.Interaction, delta: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + delta))
        self._sync()
        await interaction.response.edit_message(embed=to_embed(self.pages[self.index]), view=self)

    @discord.ui.button(emoji="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(emoji="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, +1)
