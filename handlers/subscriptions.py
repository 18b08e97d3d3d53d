"""/subscribe, /unsubscribe and /status. In groups only administrators may (un)subscribe."""

from __future__ import annotations

from telegram import Chat, ChatMember, Message, Update

from bot.push import subscriptions
from bot.render import subscriptions as replies
from bot.services import BotContext
from handlers.reply import send


def topic_of(message: Message) -> int:
    """The forum topic a message was sent in, or 0 for the whole chat."""
    return message.message_thread_id or 0 if message.is_topic_message else 0


async def may_manage(update: Update, context: BotContext) -> bool:
    """Private chats: the user. Groups: administrators, including an anonymous one."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return False
    if chat.type == chat.PRIVATE:
        return True
    if message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator writes as the group itself
    user = update.effective_user
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def managed_target(update: Update, context: BotContext) -> tuple[Chat, int] | None:
    """(chat, topic) if the sender may change the subscription; otherwise refuse politely."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    if not await may_manage(update, context):
        await send(update, [replies.REFUSED_NOT_ADMIN])
        return None
    return chat, topic_of(message)


async def subscribe(update: Update, context: BotContext) -> None:
    target = await managed_target(update, context)
    if target is None:
        return
    (chat, topic), services, user = target, context.services, update.effective_user
    result = await subscriptions.subscribe(
        services.store, services.lookup(), chat.id, topic, chat.type, user.id if user else None
    )
    await send(update, [replies.subscribed(result, bool(topic))])
    if result.created:
        await subscriptions.welcome(services.store, services.lookup(), chat.id, topic)
        services.wake_delivery()


async def unsubscribe(update: Update, context: BotContext) -> None:
    target = await managed_target(update, context)
    if target is None:
        return
    chat, topic = target
    removed = await context.services.store.unsubscribe(chat.id, topic)
    await send(update, [replies.unsubscribed(removed, bool(topic))])


async def status(update: Update, context: BotContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    services, topic = context.services, topic_of(message)
    info = await subscriptions.status(services.store, services.lookup(), chat.id, topic)
    await send(update, [replies.status(info, bool(topic))])
