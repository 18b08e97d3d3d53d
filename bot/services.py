"""The services handlers reach through the context: settings, data, database, delivery, clock,
and each chat's language as last read.

Built once by :func:`build_services` and stored on the Application (``bot_data``), as PTB's
rules-bot does, so tests can inject their own and nothing lives in module globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.conversation import Asked, Asking, ask_about
from bot.data.cache import SnapshotCache
from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import Catalog
from bot.datastore import DataStore
from bot.lookup import Lookup
from bot.push.delivery import DeliveryWorker
from bot.push.languages import Languages
from bot.push.leadership import Leadership
from bot.push.storage import Store
from bot.reading.chat_time import Zone
from bot.reading.grammar import Intent

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    data: DataStore
    today: Callable[[], date]
    store: Store
    delivery: DeliveryWorker | None = None
    #: Set at start-up; ``leadership.leading`` tells whether this process runs the background.
    leadership: Leadership | None = None
    #: Each chat's language as this process knows it (read once, kept a minute).
    languages: Languages = field(default_factory=Languages)
    _lookups: dict[str, Lookup] = field(default_factory=dict, repr=False)

    def lookup(self, series: str = CUSTOMS_SERIES) -> Lookup:
        """The lookup over the current data snapshot (one per snapshot and series, so its
        answers are remembered until the data changes); raises ``NoSeries`` for a series with
        no data yet."""
        current = self.data.current
        kept = self._lookups.get(series)
        if kept is None or kept.snapshot is not current:
            kept = self._lookups[series] = Lookup(current, self.today, series)
        return kept

    @property
    def catalog(self) -> Catalog:
        """The series described in the current data (names, units, release timing)."""
        return self.data.current.catalog

    def ask(
        self,
        text: str,
        default: Intent = "exports",
        previous: Asked | None = None,
        plain: bool = False,
        series: str | None = None,
    ) -> Asking:
        """Answer ``text`` about the material it names (rare-earth magnets if none), from
        that series' lookup (see :func:`bot.conversation.ask_about`)."""
        return ask_about(self.lookup, self.catalog, text, default, previous, plain, series)

    @property
    def runs_background(self) -> bool:
        """Whether this process runs the release watcher and delivery (it holds the lease, or
        there is no leadership: one process on its own, as in the console)."""
        return self.leadership is None or self.leadership.leading

    def wake_delivery(self) -> None:
        """Tell the delivery worker (if running) that the outbox has new rows."""
        if self.delivery is not None:
            self.delivery.wake()


def build_services(settings: Settings, today: Callable[[], date] | None = None) -> Services:
    """Load the data folder (a bad file raises) and set up the database (opened at start-up)."""

    def local_today() -> date:
        return datetime.now(settings.timezone).date()

    return Services(
        settings,
        DataStore(settings.data_dir, cache=SnapshotCache(settings.cache_dir)),
        today or local_today,
        Store(settings.database_url, default_zone=Zone(settings.timezone.key)),
    )


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context, with the services as a typed property."""

    @property
    def services(self) -> Services:
        services: Services = self.bot_data[SERVICES_KEY]
        return services


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
