"""Operator commands, for ADMIN_USER_IDS in a private chat: /stats, /preview and /reload
(``/reload confirm`` applies a reload held back because it would withdraw figures)."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.data.dataset import DataFileError
from bot.push import subscriptions
from bot.push.alert_push import preview_alerts
from bot.push.releases import watched_series
from bot.render import admin
from bot.render import subscriptions as replies
from bot.render.summary import summary
from bot.scheduler import check_and_wake
from bot.services import BotContext
from handlers.language import reply_language_of
from handlers.reply import send


def is_operator(update: Update, context: BotContext) -> bool:
    chat, user = update.effective_chat, update.effective_user
    admins = context.services.settings.admin_user_ids
    return chat is not None and chat.type == chat.PRIVATE and user is not None and user.id in admins


async def stats(update: Update, context: BotContext) -> None:
    language = await reply_language_of(update, context)
    if not is_operator(update, context):
        await send(update, [replies.refused_not_bot_admin(language)])
        return
    info = await subscriptions.stats(context.services.store)
    # a stored error text may echo the Bot API path, token included
    await send(update, [context.services.settings.redact(replies.stats(info, language))])


async def preview(update: Update, context: BotContext) -> None:
    """The summary of the latest month, exactly as subscribers are sent it, and the alerts
    the latest month of each material would fire (and those it could not check)."""
    language = await reply_language_of(update, context)
    if not is_operator(update, context):
        await send(update, [replies.refused_not_bot_admin(language)])
        return
    services = context.services
    answer = services.lookup().summary("latest")
    series = [info.key for info in watched_series(services.data.current)]
    found = await preview_alerts(services.store, services.lookup, series)
    await send(update, [*summary(answer, language), *admin.alerts_preview(found, language)])


async def reload(update: Update, context: BotContext) -> None:
    """Reload the data folder now and report what changed; a bad file keeps the old data, and
    a reload that would withdraw figures waits for ``/reload confirm``."""
    language = await reply_language_of(update, context)
    if not is_operator(update, context):
        await send(update, [replies.refused_not_bot_admin(language)])
        return
    services = context.services
    before = services.data.current.version
    confirm = [a.lower() for a in context.args or []] == ["confirm"]
    changes = await asyncio.to_thread(services.data.reload_and_compare, confirm)
    if isinstance(changes, DataFileError):
        await send(update, [admin.reload_rejected(changes, before, language)])
        return
    if changes.held:
        await send(update, admin.reload_held(changes, language=language))
        return
    releases = None if changes.unchanged else await check_and_wake(services)
    await send(update, admin.reload_report(changes, releases, language=language))
