"""Pushing: the database (``schema``, ``storage``), subscriptions (``subscriptions``), the
release watcher that notices new months and revisions and queues messages (``releases``), the
worker that drains the outbox within Telegram's flood limits (``delivery``) and the lease that
lets one process of several run them (``leadership``). It may use everything below it (the
renderers for the texts it queues, the lookup service, the records it fills) and ``bot.logs``
(log lines that name the chat), but not the rest of the runtime: the scheduler and services at
the top of ``bot/`` wire it to the Application.
"""
