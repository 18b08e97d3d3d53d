"""/subscribe, /unsubscribe and /status, each for one material, several or all. In groups only
administrators may (un)subscribe."""

from __future__ import annotations

from telegram import Chat, ChatMember, Message, Update

from bot.data.series import Catalog
from bot.i18n import tr
from bot.push import subscriptions
from bot.push.schema import utcnow
from bot.reading.material_list import read_material_list
from bot.records import MaterialChoice, Unknown
from bot.render import subscriptions as replies
from bot.render.format import quote_input
from bot.render.status import status as status_of
from bot.series_choice import chinese_typo, material_names
from bot.services import BotContext
from handlers.language import reply_language_of
from handlers.reply import arguments, send


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
        language = await reply_language_of(update, context)
        await send(update, [replies.refused_not_admin(language)])
        return None
    return chat, topic_of(message)


def material_choice(text: str, catalog: Catalog) -> MaterialChoice:
    """The materials a list names (:func:`bot.reading.material_list.read_material_list`), in
    listing order, each once; the words that name none, each with a guess of a material (a
    Latin or a Chinese typo); the reference series named (not materials); and whether "all"
    was asked for."""

    def suggest(word: str) -> str | None:
        info = catalog.suggest(word) or chinese_typo(catalog, word)
        return info.key if info is not None and not info.reference else None

    found = read_material_list(text, material_names(catalog), suggest)
    named = [catalog[key] for key in found.keys if key in catalog]
    unknown = tuple(
        Unknown(u.word, catalog[u.suggestion] if u.suggestion else None) for u in found.unknown
    )
    reference = tuple(info for info in named if info.reference)
    materials = (
        catalog.materials
        if found.everything
        else tuple(info for info in catalog.materials if info in named)
    )
    return MaterialChoice(materials, unknown, reference, found.everything)


def materials_of(update: Update, context: BotContext) -> MaterialChoice:
    """The materials the command names (``/subscribe gallium germanium``, ``/subscribe 镓``)."""
    message = update.effective_message
    text = arguments(message.text if message is not None else None)
    return material_choice(text, context.services.data.current.catalog)


async def subscribe(update: Update, context: BotContext) -> None:
    """``/subscribe`` (rare-earth magnets), ``/subscribe gallium germanium``, ``/subscribe
    all``: a word that is no material is named and nothing is subscribed."""
    target = await managed_target(update, context)
    if target is None:
        return
    (chat, topic), services, user = target, context.services, update.effective_user
    language = await reply_language_of(update, context)
    choice = materials_of(update, context)
    catalog = services.data.current.catalog
    if not choice.valid:
        refused = replies.not_understood(choice, catalog.materials, "subscribed", language)
        await send(update, refused)
        return
    lookup = services.lookup()  # one snapshot for the reply and the welcome
    # its push is in the language of this reply (the welcome first), until it chooses one
    await services.store.note_subscribed_language(chat.id, language)
    result = await subscriptions.subscribe(
        services.store,
        lookup,
        chat.id,
        topic,
        chat.type,
        user.id if user else None,
        choice.series,
    )
    await send(update, [replies.subscribed(result, bool(topic), choice.named, language)])
    welcomed = result.added or (result.already if result.resumed else ())
    if result.changed and welcomed:
        keys = [info.key for info in welcomed]
        await subscriptions.welcome(services.store, lookup, chat.id, topic, keys, services.lookup)
        services.wake_delivery()


async def unsubscribe(update: Update, context: BotContext) -> None:
    """``/unsubscribe`` (everything) or ``/unsubscribe gallium`` (that one)."""
    target = await managed_target(update, context)
    if target is None:
        return
    (chat, topic), store = target, context.services.store
    language = await reply_language_of(update, context)
    choice = materials_of(update, context)
    catalog = context.services.data.current.catalog
    if not choice.valid:
        refused = replies.not_understood(choice, catalog.materials, "unsubscribed", language)
        await send(update, refused)
        return
    if not choice.series:
        removed = await store.unsubscribe(chat.id, topic)
        await send(update, [replies.unsubscribed(removed, bool(topic), language)])
        return
    keys = [info.key for info in choice.series]
    taken, left = await store.remove_series(chat.id, topic, keys)
    named = [info for info in catalog.series if info.key in taken]
    missing = [info for info in choice.series if info.key not in taken]
    still = [info for info in catalog.series if info.key in left]
    reply = replies.unsubscribed_series(named, still, missing, bool(topic), language)
    await send(update, [reply])


async def status(update: Update, context: BotContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    services, topic = context.services, topic_of(message)
    info = await subscriptions.status(services.store, services.lookup(), chat.id, topic)
    language = await reply_language_of(update, context)
    messages = status_of(info, bool(topic), language, utcnow())
    words = arguments(message.text).strip()
    if words:  # never silently dropped
        typed = quote_input(words)
        if topic:
            named = tr(
                language,
                "/status shows every material of this topic; “{words}” is not needed.",
                words=typed,
            )
        else:
            named = tr(
                language,
                "/status shows every material of this chat; “{words}” is not needed.",
                words=typed,
            )
        messages = [f"ℹ️ {named}\n\n{messages[0]}", *messages[1:]]
    await send(update, messages)
