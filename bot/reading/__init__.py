"""Reading what people type: trade partners (``partners``), periods (``periods``), whole
questions and command arguments (``query``), the materials a question names (``materials``,
with the names the data wing gives it) and the data behind an answer's buttons
(``callbacks``); what it cannot read comes back as a value (``misreadings``), worded in the
reader's language by ``bot.render.misreadings``. It is the lowest floor: it imports nothing
else of the bot, and the data wing uses its partner and period readers for the names and codes
in data files too.
"""
