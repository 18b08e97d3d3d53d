"""Jobs on PTB's JobQueue (APScheduler), and the start-up and shut-down of background work.

The release watcher runs at start-up and every ``RELEASE_CHECK_INTERVAL``. It has a misfire
grace of hours and coalesces missed runs, so a late or sleeping host still checks once; it is
registered once per application, by name.
"""

from __future__ import annotations

import asyncio
import logging

from bot.delivery import DeliveryWorker, Limits, RetryPolicy
from bot.releases import ReleaseReport, check_releases
from bot.services import SERVICES_KEY, BotApplication, BotContext, Services

log = logging.getLogger(__name__)

RELEASE_JOB = "release-watcher"
MISFIRE_GRACE_SECONDS = 6 * 3600


async def run_release_check(services: Services) -> ReleaseReport:
    """Reload the data folder (a bad file keeps the old data), then look for releases."""
    error = await asyncio.to_thread(services.data.reload)
    if error is not None:
        log.error("data folder has a bad file; still answering from the previous data: %s", error)
    report = await check_releases(services.store, services.lookup())
    if report.announced or report.revised or report.backfilled:
        log.info(
            "releases: new %s, back-filled %s, revised %s; %d message(s) queued",
            report.announced,
            report.backfilled,
            report.revised,
            report.queued,
        )
    if report.queued:
        services.wake_delivery()
    return report


async def release_job(context: BotContext) -> None:
    await run_release_check(context.services)


def schedule_jobs(application: BotApplication) -> None:
    """Register the release watcher once (a second call changes nothing)."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    if job_queue.get_jobs_by_name(RELEASE_JOB):
        return
    services: Services = application.bot_data[SERVICES_KEY]
    job_queue.run_repeating(
        release_job,
        interval=services.settings.release_check_seconds,
        first=0,
        name=RELEASE_JOB,
        job_kwargs={
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            "coalesce": True,
            "max_instances": 1,
        },
    )


async def start_background(
    application: BotApplication, limits: Limits | None = None, policy: RetryPolicy | None = None
) -> None:
    """Open the database, resume the outbox and schedule the jobs."""
    services: Services = application.bot_data[SERVICES_KEY]
    await services.store.migrate()
    if services.delivery is None:
        services.delivery = DeliveryWorker(services.store, application.bot, limits, policy)
        await services.delivery.start()
    schedule_jobs(application)


async def stop_background(application: BotApplication) -> None:
    """Stop the delivery worker and close the database (PTB ``post_shutdown``)."""
    services: Services = application.bot_data[SERVICES_KEY]
    if services.delivery is not None:
        await services.delivery.stop()
        services.delivery = None
    await services.store.close()
