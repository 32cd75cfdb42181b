"""Reply models and the builders that turn the core's results into them, one module per area. No discord import:
the cogs render these replies as embeds (bot.render), the terminal chat as text."""
