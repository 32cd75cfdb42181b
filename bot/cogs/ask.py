"""Questions: /ask, mentions and replies to the bot, the "Ask the article" message menu, feedback buttons."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import Hashable

import discord
from discord import app_commands
from discord.ext import commands

from index.answer import validate_in_context
from index.conversation import Turn
from index.question import MAX_QUESTION_CHARS

from ..checks import ask_check, where
from ..client import ArticleBot
from ..conversations import reply_key, thread_key
from ..errors import BadQuestion
from ..render import to_embed
from ..replies.models import Reply
from ..text import THREAD_NAME_LIMIT, truncate
from .admin import article_autocomplete

log = logging.getLogger(__name__)

QUESTION_LIMIT = MAX_QUESTION_CHARS  # longer questions are declined by the core; Discord enforces this on /ask
COOLDOWN_NOTICE_SECONDS = 15  # a mention's "asking quickly" reply is deleted after this (or the wait, if shorter)


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button], template=r"fb:(?P<vote>up|down):(?P<qid>[0-9]+)"):
    """👍/👎 under an answer. The question id is in the custom id, so votes survive restarts."""

    def __init__(self, vote: str, qid: int) -> None:
        self.vote, self.qid = vote, qid
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="👍" if vote == "up" else "👎",
            custom_id=f"fb:{vote}:{qid}",
        ))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(match["vote"], int(match["qid"]))

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        bot: ArticleBot = interaction.client  # type: ignore[assignment]
        counted = await asyncio.to_thread(bot.store.vote, self.qid, interaction.user.id, self.vote == "up")
        text = "Thanks, your feedback is recorded." if counted else "Only the person who asked can rate this answer."
        await interaction.response.send_message(text, ephemeral=True)


def feedback_view(qid: int | None, url: str | None = None) -> discord.ui.View:
    """👍/👎 under an answer, and beside them a "Read the article" link when the article has an http(s) URL."""
    view = discord.ui.View(timeout=None)
    if qid is not None:
        view.add_item(FeedbackButton("up", qid))
        view.add_item(FeedbackButton("down", qid))
    if url and url.lower().startswith(("http://", "https://")):  # Discord refuses any other link
        view.add_item(discord.ui.Button(style=discord.ButtonStyle.link, label="Read the article", url=url))
    return view


def _thread_name(question: str) -> str:
    return truncate(" ".join(question.split()) or "Question", THREAD_NAME_LIMIT)


class Ask(commands.Cog):
    def __init__(self, bot: ArticleBot):
        self.bot = bot
        self.menu = app_commands.ContextMenu(name="Ask the article", callback=self.ask_message)
        self.menu.add_check(ask_check)
        bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name="ask", description="Ask a question about the article; the answer is in its own words")
    @app_commands.describe(question="What do you want to know from the article?",
                           article="Only this article (default: all of them)")
    @app_commands.autocomplete(article=article_autocomplete)
    @app_commands.check(ask_check)
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_LIMIT],
                  article: str | None = None) -> None:
        await self._answer_interaction(interaction, question, via="slash", article=article)

    async def ask_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        question = message.content.strip()
        if not question:
            await interaction.response.send_message("That message has no text to ask about.", ephemeral=True)
            return
        await self._answer_interaction(interaction, question, via="context")

    async def _answer_interaction(self, interaction: discord.Interaction, question: str, *, via: str,
                                  article: str | None = None) -> None:
        channel = interaction.channel
        gid = interaction.guild_id
        # /ask in the bot's answer thread is read with that thread's conversation
        key = thread_key(gid, channel.id) if isinstance(channel, discord.Thread) and via == "slash" else None
        turn = self.bot.conversations.get(key) if key is not None else None
        problem = validate_in_context(question, turn)  # cheap: a bad question gets a private reply, before the public "thinking…"
        if problem is None and article is not None and not (await self.bot.view(interaction.guild_id)).has(article):
            problem = f"There is no article {article!r}; `/about` and the article option's autocomplete show them."
        if problem:
            raise BadQuestion(problem)
        await interaction.response.defer(thinking=True)
        reply, qid = await self.bot.answer(question, via=via, user_id=interaction.user.id,
                                           guild_id=gid, channel_id=interaction.channel_id,
                                           article=article, context=turn)
        if reply.kind == "decline" and self.bot.gate.placement(gid).declines != "public":
            await self._decline_privately(interaction, reply, qid)
            if key is not None:
                self.bot.conversations.put(key, Turn.after(reply.answer, turn) if reply.answer is not None else None)
            return  # no reply chain or thread on a message only the asker sees
        message = await interaction.followup.send(embed=to_embed(reply), view=feedback_view(qid, reply.url), wait=True)
        after = Turn.after(reply.answer, turn) if reply.answer is not None else None
        if key is not None:
            self.bot.conversations.put(key, after)
            return
        self.bot.conversations.put(reply_key(gid, interaction.user.id, message.id), after)
        if self._thread_wanted(gid, channel) and isinstance(channel, discord.TextChannel):
            try:
                # through the channel: a followup message carries no guild, so message.create_thread refuses
                thread = await channel.create_thread(name=_thread_name(question), message=message)
                self.bot.conversations.put(thread_key(gid, thread.id), after)
            except discord.HTTPException:
                log.warning("could not open a thread for an answer", exc_info=True)

    async def _decline_privately(self, interaction: discord.Interaction, reply: Reply, qid: int | None) -> None:
        """A decline only the asker sees (DECLINES / `/config declines` private or silent). The first followup
        after a defer takes the deferred response's place and its visibility (public), so the public "thinking…"
        is deleted first; the decline is then a message of its own, ephemeral."""
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:  # then the followup below replaces it: public, as before
            log.warning("could not delete the deferred response of a declined question", exc_info=True)
        await interaction.followup.send(embed=to_embed(reply), view=feedback_view(qid, reply.url), ephemeral=True)

    def _thread_wanted(self, guild_id: int | None, channel: object) -> bool:
        return self.bot.gate.placement(guild_id).answer_in_thread and isinstance(channel, discord.TextChannel)

    # -- mentions and replies -----------------------------------------------------------------

    def _question_in(self, message: discord.Message) -> str | None:
        """The question of a message that mentions the bot or replies to one of its answers, else None. A
        reply that arrives empty (without the message-content intent a reply that does not ping the bot has no
        text) is ignored: only a mention with nothing in it gets the hint on how to ask."""
        me = self.bot.user
        if me is None or message.author.bot:
            return None
        mentioned = any(u.id == me.id for u in message.mentions)
        if not (mentioned or self._replied_to_me(message) is not None or self._in_my_conversation_thread(message)):
            return None
        text = re.sub(rf"<@!?{me.id}>", " ", message.content)
        names = {u.id: u.display_name for u in message.mentions}
        text = re.sub(r"<@!?([0-9]+)>", lambda m: "@" + names.get(int(m[1]), "someone"), text)
        text = " ".join(text.split())
        return text if text or mentioned else None

    def _in_my_conversation_thread(self, message: discord.Message) -> bool:
        """With the message-content intent: a message in a thread where the bot's answer is still in context."""
        if not self.bot.settings.message_content or not isinstance(message.channel, discord.Thread):
            return False
        gid = message.guild.id if message.guild else None
        return self.bot.conversations.get(thread_key(gid, message.channel.id)) is not None

    def _replied_to_me(self, message: discord.Message) -> int | None:
        """The id of the bot's message this one replies to, if it replies to one."""
        me, ref = self.bot.user, message.reference
        if me is None or ref is None or not isinstance(ref.resolved, discord.Message) or ref.resolved.author.id != me.id:
            return None
        return ref.resolved.id

    def _conversation_of(self, message: discord.Message) -> Hashable | None:
        """The conversation a message continues: its thread's, if the bot answered there, else the reply chain
        of the author's that the replied-to answer ended."""
        gid = message.guild.id if message.guild else None
        if isinstance(message.channel, discord.Thread):
            return thread_key(gid, message.channel.id)
        answer_id = self._replied_to_me(message)
        return reply_key(gid, message.author.id, answer_id) if answer_id is not None else None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self._question_in(message)
        if question is None:
            return
        guild_id = message.guild.id if message.guild else None
        admission = self.bot.gate.admit(message.author.id, guild_id, where(message.channel), via="mention",
                                        empty=not question)
        if admission.refusal == "empty":  # the hint's example is a question the server's articles answer
            admission = dataclasses.replace(admission, example=(await self.bot.view(guild_id)).example_question())
        if not admission.allowed:
            if admission.message is not None:  # None: outside the channels the bot answers in, say nothing
                cooldown = admission.refusal == "cooldown"
                await message.reply(admission.message, mention_author=False,
                                    delete_after=min(admission.retry_after, COOLDOWN_NOTICE_SECONDS) if cooldown else None)
            return
        key = self._conversation_of(message)
        turn = self.bot.conversations.get(key) if key is not None else None
        reply, qid = await self.bot.answer(question, via="mention", user_id=message.author.id,
                                           guild_id=guild_id, channel_id=message.channel.id, context=turn)
        after = Turn.after(reply.answer, turn) if reply.answer is not None else None
        await self._send_to_message(message, reply, qid, question, after)

    async def _send_to_message(self, message: discord.Message, reply: Reply, qid: int | None, question: str,
                               after: Turn | None) -> None:
        """Answer in a new thread (when the server wants one) or as a reply; remember the turn where the next
        question of the conversation will come from."""
        gid = message.guild.id if message.guild else None
        if reply.kind == "decline" and self.bot.gate.placement(gid).declines == "silent":
            return  # silent: a declined mention gets no reply (it is still recorded for /stats)
        embed, view = to_embed(reply), feedback_view(qid, reply.url)
        if isinstance(message.channel, discord.Thread):
            await message.reply(embed=embed, view=view, mention_author=False)
            self.bot.conversations.put(thread_key(gid, message.channel.id), after)
            return
        if self._thread_wanted(gid, message.channel):
            try:
                thread = await message.create_thread(name=_thread_name(question))
                await thread.send(embed=embed, view=view)
                self.bot.conversations.put(thread_key(gid, thread.id), after)
                return
            except discord.HTTPException:
                log.warning("could not open a thread, answering in the channel", exc_info=True)
        sent = await message.reply(embed=embed, view=view, mention_author=False)
        self.bot.conversations.put(reply_key(gid, message.author.id, sent.id), after)


async def setup(bot: ArticleBot) -> None:
    bot.add_dynamic_items(FeedbackButton)
    await bot.add_cog(Ask(bot))
