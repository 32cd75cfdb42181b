"""◀ ▶ buttons over a list of replies (/expert, /articles list), disabled when they time out."""

from __future__ import annotations

import logging

import discord

from .render import to_embed
from .replies.models import Reply

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 300.0  # seconds without a click; then the buttons are shown disabled (well within the 15 minutes
# an interaction's token may edit its messages)


class Pages(discord.ui.View):
    """Only the person who ran the command can turn the pages; others are told to run it themselves."""

    def __init__(self, pages: list[Reply], owner_id: int, command: str, timeout: float | None = None):
        super().__init__(timeout=PAGE_TIMEOUT if timeout is None else timeout)
        self.pages, self.owner_id, self.command, self.index = pages, owner_id, command, 0
        self.message: discord.WebhookMessage | None = None
        self._sync()

    async def send(self, interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
        """The first page as the (deferred) interaction's followup, with these buttons; the message is kept so that
        the buttons can be disabled on it when they time out."""
        self.message = await interaction.followup.send(embed=to_embed(self.pages[0]), view=self, ephemeral=ephemeral,
                                                       wait=True)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is None:
            return
        try:
            await self.message.edit(view=self)
        except discord.HTTPException:  # deleted, or the token expired: nothing left to disable
            log.info("could not disable the page buttons of %s", self.command, exc_info=True)

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
