"""Thin Telegram callbacks: parse the update, ask the service, send the rendered reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.services import BotApplication
from handlers import (
    admin,
    alerts,
    buttons,
    charts,
    commands,
    errors,
    inline,
    materials,
    membership,
    questions,
    settings,
    subscriptions,
)

COMMANDS = {
    "start": commands.start,
    "help": commands.help_command,
    "exports": commands.exports,
    "top": commands.top,
    "summary": commands.summary,
    "sources": commands.sources,
    "comtrade": commands.comtrade,
    "materials": materials.materials,
    "chart": charts.chart,
    "csv": charts.csv,
    "subscribe": subscriptions.subscribe,
    "unsubscribe": subscriptions.unsubscribe,
    "status": subscriptions.status,
    "alert": alerts.alert,
    "alerts": alerts.alerts,
    "watch": alerts.watch,
    "lang": settings.lang,
    "settings": settings.settings,
    "stats": admin.stats,
    "preview": admin.preview,
    "reload": admin.reload,
}


def register(application: BotApplication) -> None:
    """Add every handler and the error handler to ``application``. PTB tries them in order
    until one takes the update: button presses and inline queries, which no other handler
    takes, come first, so they are not read by the twenty handlers of messages. The settings'
    buttons (``set:``) and the alerts' (``al:``) come before the answers' buttons, which take
    any other data."""
    application.add_handler(settings.SettingsButtons())
    application.add_handler(alerts.AlertButtons())
    application.add_handler(CallbackQueryHandler(buttons.on_button))
    application.add_handler(InlineQueryHandler(inline.inline_query))
    new_messages = filters.UpdateType.MESSAGE  # an edited message is not asked again
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=new_messages))
    text = filters.TEXT & ~filters.COMMAND & new_messages
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, questions.question))
    addressed = filters.Entity("mention") | filters.REPLY
    application.add_handler(
        MessageHandler(text & filters.ChatType.GROUPS & addressed, questions.question)
    )
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, commands.unknown)
    )
    application.add_handler(
        ChatMemberHandler(membership.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated))
    application.add_error_handler(errors.on_error)


__all__ = ["COMMANDS", "Update", "register"]
