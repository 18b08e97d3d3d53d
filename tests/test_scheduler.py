"""The release watcher job: registered once, timezone-aware, with misfire grace and coalescing."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.app import build_application
from bot.config import Settings
from bot.offline import OfflineRequest
from bot.push.storage import Store
from bot.scheduler import MISFIRE_GRACE_SECONDS, RELEASE_JOB, schedule_jobs
from bot.services import Services
from tests.conftest import DATA_DIR, TODAY


async def test_the_release_watcher_is_scheduled_once_with_grace(
    services: Services, database_url: str
) -> None:
    settings = Settings(
        data_dir=DATA_DIR,
        database_url=database_url,
        timezone=ZoneInfo("Asia/Shanghai"),
        release_check_seconds=90,
    )
    local = Services(settings, services.data, lambda: TODAY, Store(database_url))
    application = build_application(local, request=OfflineRequest())
    await application.initialize()
    schedule_jobs(application)
    schedule_jobs(application)  # e.g. post_init run again: still one job
    assert application.job_queue is not None
    jobs = application.job_queue.get_jobs_by_name(RELEASE_JOB)
    assert len(jobs) == 1
    job = jobs[0].job
    assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 3600
    assert job.coalesce is True and job.max_instances == 1
    assert job.trigger.interval.total_seconds() == 90
    assert str(application.job_queue.scheduler.timezone) == "Asia/Shanghai"
    await application.shutdown()


def test_release_check_interval_setting() -> None:
    assert (
        Settings.from_env({"RELEASE_CHECK_INTERVAL": "30s"}, dotenv=None).release_check_seconds
        == 30
    )
    assert (
        Settings.from_env({"RELEASE_CHECK_INTERVAL": "15"}, dotenv=None).release_check_seconds
        == 900
    )
    assert Settings.from_env({}, dotenv=None).release_check_seconds == 600
