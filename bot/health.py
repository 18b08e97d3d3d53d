"""The health check behind ``GET /healthz``: data freshness, outbox, database (no HTTP here).

Freshness is reported for every material series (``series``: its latest month, the next one,
when that is expected and whether it is overdue); only rare-earth magnets, the feed the bot
is run for, make the check unhealthy when late: other series come from press reports that may
stop for months (graphite's end in February 2024), which is news, not an outage."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

from bot.datastore import Snapshot
from bot.metrics import WORLD
from bot.push.subscriptions import series_status
from bot.records import FAILED, PENDING, SENDING
from bot.services import Services

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 3.0


async def health(services: Services) -> tuple[bool, dict[str, Any]]:
    """(healthy, report). Unhealthy when the database does not answer (or its SQLite file was
    deleted or replaced), or when the next month is more than ``HEALTH_MAX_LATE_DAYS`` past
    its expected release."""
    snapshot = services.data.current
    latest = snapshot.metrics.latest_month(WORLD)
    today = services.today()
    report: dict[str, Any] = {
        "data_version": snapshot.version,
        "latest_month": latest.code if latest else None,
        "next_month": None,
        "next_expected_on": None,
        "days_past_expected": None,
        "outbox_depth": None,
        "failed_deliveries": None,
        "database_reachable": False,
        "runs_background": services.runs_background,
        "series": series_report(snapshot, today),
    }
    problems = []
    if latest is not None:
        expected = snapshot.metrics.info.expected_release(latest)
        late = (today - expected).days
        report |= {
            "next_month": latest.shift_months(1).code,
            "next_expected_on": expected.isoformat(),
            "days_past_expected": max(0, late),
        }
        if late > services.settings.health_max_late_days:
            problems.append(
                f"{latest.shift_months(1).code} is {late} days past its expected release "
                f"(limit {services.settings.health_max_late_days})"
            )
    file_problem = services.store.file_problem()
    if file_problem is not None:
        log.warning("health: %s", file_problem)
        problems.append(file_problem)
        report["status"], report["problems"] = "unhealthy", problems
        return False, report
    try:
        counts = await asyncio.wait_for(services.store.outbox_counts(), DATABASE_TIMEOUT)
    except Exception as error:  # any failure to answer is "unreachable"
        log.warning("health: the database did not answer: %s", error)
        problems.append("the database did not answer")
    else:
        report |= {
            "database_reachable": True,
            "outbox_depth": counts.get(PENDING, 0) + counts.get(SENDING, 0),
            "failed_deliveries": counts.get(FAILED, 0),
        }
    report["status"] = "unhealthy" if problems else "ok"
    report["problems"] = problems
    return not problems, report


def series_report(snapshot: Snapshot, today: date) -> dict[str, dict[str, Any]]:
    """Every material series by key: its name, latest month, the next month, when that is
    expected, how many days past it and whether it is overdue (all None without a month)."""
    report: dict[str, dict[str, Any]] = {}
    for info in snapshot.catalog.materials:
        line = series_status(snapshot, today, info, None)
        expected = line.expected_on
        report[info.key] = {
            "name": info.name,
            "latest_month": line.latest_month.code if line.latest_month else None,
            "next_month": line.next_month.code if line.next_month else None,
            "next_expected_on": expected.isoformat() if expected else None,
            "days_past_expected": max(0, (today - expected).days) if expected else None,
            "overdue": line.overdue,
        }
    return report
