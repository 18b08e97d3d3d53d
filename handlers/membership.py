"""The bot's own membership: removed or blocked pauses a chat, added back resumes it;
a group upgraded to a supergroup keeps its subscription and settings under the new chat id."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update

from bot.records import ACTIVE, PAUSED
from bot.services import BotContext

log = logging.getLogger(__name__)

GONE = (ChatMember.LEFT, ChatMember.BANNED)
PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


async def bot_membership(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    before, after = change.old_chat_member.status, change.new_chat_member.status
    store, chat_id = context.services.store, change.chat.id
    if after in GONE:
        changed = await store.set_status(chat_id, PAUSED, "the bot was removed or blocked")
        log.info("bot removed from %s: %d subscription(s) paused", chat_id, changed)
    elif after in PRESENT and before in GONE:
        changed = await store.set_status(chat_id, ACTIVE, None)
        log.info("bot back in %s: %d subscription(s) resumed", chat_id, changed)


async def migrated(update: Update, context: BotContext) -> None:
    """Both service messages of a migration move the subscription and settings (the second
    is a no-op); this process reads both chats' language again at their next update."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await services.store.migrate_chat(old, new)
    services.languages.forget(old, new)
