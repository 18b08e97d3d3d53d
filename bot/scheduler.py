"""Jobs on PTB's JobQueue (APScheduler), and the start-up and shut-down of background work.

The release watcher (every material series) runs at start-up and every
``RELEASE_CHECK_INTERVAL``. It has a misfire
grace of hours and coalesces missed runs, so a late or sleeping host still checks once; it is
registered once per application, by name. When ``COMTRADE_FETCH_INTERVAL`` is set, a second
job fetches the UN Comtrade months after the latest one held, imports them through the same
checks as ``python -m bot data import``, and reloads the data. Of several processes on one
database, every one reloads the data, but only the lease holder (:mod:`bot.push.leadership`) looks
for releases, fetches and delivers. The lease holder also prunes the outbox at start-up and every
hour (``OUTBOX_RETENTION_DAYS``, :mod:`bot.push.retention`).
"""

from __future__ import annotations

import asyncio
import logging

from bot.metrics import WORLD
from bot.push.delivery import DeliveryWorker, Limits, RetryPolicy
from bot.push.leadership import Leadership, Lease
from bot.push.releases import check_releases
from bot.reading.periods import Period
from bot.records import ReleaseReport
from bot.services import SERVICES_KEY, BotApplication, BotContext, Services

log = logging.getLogger(__name__)

RELEASE_JOB = "release-watcher"
COMTRADE_JOB = "comtrade-fetch"
RETENTION_JOB = "outbox-retention"
RETENTION_EVERY_SECONDS = 3600
MAX_FETCH_MONTHS = 3  # per run, so a long gap is caught up politely
MISFIRE_GRACE_SECONDS = 6 * 3600


async def run_release_check(services: Services) -> ReleaseReport | None:
    """Reload the data folder (a bad file keeps the old data); then, in the process that runs
    the background work, look for releases. Every process reloads, so all answer alike."""
    error = await asyncio.to_thread(services.data.reload)
    if error is not None:
        log.error("data folder has a bad file; still answering from the previous data: %s", error)
    if not services.runs_background:
        return None
    return await check_and_wake(services)


async def check_and_wake(services: Services) -> ReleaseReport:
    """Look for new months and revisions of every material in the current data; wake the
    delivery worker. The check is pinned to the snapshot current when it starts (a reload
    meanwhile is the next check's)."""
    started = services.lookup()
    report = await check_releases(services.store, started, services.lookup)
    if report.released:
        log.info(
            "releases: %s; %d message(s) queued (%d chat(s) sent a digest)",
            ", ".join(f"{series} {month} {what}" for series, month, what in report.released),
            report.queued,
            report.digests,
        )
    if report.queued:
        services.wake_delivery()
    return report


async def release_job(context: BotContext) -> None:
    await run_release_check(context.services)


def months_to_fetch(services: Services) -> list[Period]:
    """The months after the latest UN Comtrade month held (or after the latest customs month,
    before any is held), up to last month; at most ``MAX_FETCH_MONTHS``."""
    snapshot = services.data.current
    today = services.today()
    last = Period.month(today.year, today.month).previous()
    if snapshot.comtrade is not None:
        latest = snapshot.comtrade.latest_month(WORLD) or snapshot.comtrade.coverage.last_month
    else:
        latest = snapshot.metrics.latest_month(WORLD) or last
    months: list[Period] = []
    month = latest.shift_months(1)
    while month <= last and len(months) < MAX_FETCH_MONTHS:
        months.append(month)
        month = month.shift_months(1)
    return months


async def run_comtrade_fetch(services: Services) -> list[str]:
    """Fetch and import the next UN Comtrade months; stop at the first one not published yet.
    Returns the months imported."""
    from bot.data import comtrade  # the fetch and import code: loaded only when a fetch runs
    from bot.data.ops import import_file

    settings = services.settings
    imported: list[str] = []
    if not services.runs_background:
        return imported
    for month in months_to_fetch(services):
        result = await asyncio.to_thread(
            comtrade.fetch, month, settings.fetch_dir, settings.comtrade_api_key
        )
        if not isinstance(result, comtrade.Fetched):
            break  # not published yet, or failed: both are logged by comtrade.fetch
        code, report = await asyncio.to_thread(import_file, settings, result.path, services.today())
        if code != 0:
            log.error("UN Comtrade %s not imported: %s", month.code, report)
            break
        log.info("UN Comtrade %s: %s", month.code, report.splitlines()[0])
        imported.append(month.code)
    if imported:
        await run_release_check(services)
    return imported


async def comtrade_job(context: BotContext) -> None:
    await run_comtrade_fetch(context.services)


async def run_retention(services: Services) -> int:
    """In the process that runs the background work, prune the outbox and give the space
    back; the rows pruned. A failure is logged and left to the next run."""
    if not services.runs_background:
        return 0
    try:
        return await services.store.apply_retention(services.settings.outbox_retention_days)
    except Exception as error:
        log.warning("outbox retention failed (%s); trying again in an hour", error)
        return 0


async def retention_job(context: BotContext) -> None:
    await run_retention(context.services)


def schedule_jobs(application: BotApplication) -> None:
    """Register the release watcher and the outbox retention once (a second call changes
    nothing)."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    if job_queue.get_jobs_by_name(RELEASE_JOB):
        return
    services: Services = application.bot_data[SERVICES_KEY]
    fetch_every = services.settings.comtrade_fetch_seconds
    if fetch_every is not None:
        job_queue.run_repeating(
            comtrade_job,
            interval=fetch_every,
            first=60,
            name=COMTRADE_JOB,
            job_kwargs={"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True},
        )
    job_queue.run_repeating(
        retention_job,
        interval=RETENTION_EVERY_SECONDS,
        first=0,
        name=RETENTION_JOB,
        job_kwargs={"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True},
    )
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
    """Open the database, take part in the leadership and schedule the jobs. Every process
    answers updates and reloads the data; the one holding the lease also resumes the outbox,
    delivers, looks for releases and fetches from Comtrade."""
    services: Services = application.bot_data[SERVICES_KEY]
    await services.store.migrate()
    lease = Lease(services.store.engine, services.settings.leader_lease_seconds)

    async def lead() -> None:
        if services.delivery is None:
            bot, store = application.bot, services.store
            services.delivery = DeliveryWorker(store, bot, limits, policy, lease=lease)
            await services.delivery.start()

    async def follow() -> None:
        if services.delivery is not None:
            await services.delivery.stop()
            services.delivery = None

    services.leadership = Leadership(lease, lead, follow)
    await services.leadership.start()
    schedule_jobs(application)


async def stop_background(application: BotApplication) -> None:
    """Stop the background work, hand the lease back and close the database (PTB
    ``post_stop``)."""
    services: Services = application.bot_data[SERVICES_KEY]
    if services.leadership is not None:
        await services.leadership.stop()
        services.leadership = None
    if services.delivery is not None:
        await services.delivery.stop()
        services.delivery = None
    await services.store.close()
