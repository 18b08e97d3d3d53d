"""One process at a time runs the release watcher and the delivery worker; all answer commands.

A row in the ``leases`` table names the process holding the lease and when its hold ends. The
holder renews it every third of the lease; another process takes it over once it has ended,
because the holder died or hung. A process that stops hands the lease back at once. Each
take-over raises the lease's generation, the fencing token the delivery worker writes into every
claim (:mod:`bot.push.claims`), so a worker that lost the lease can no longer claim. The same
SQL works on SQLite and PostgreSQL; the processes' clocks must agree to within a few seconds
(NTP).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.push.rows import insert_ignoring_duplicates
from bot.push.schema import leases

log = logging.getLogger(__name__)

BACKGROUND = "background"


def process_name() -> str:
    """Who holds a lease: host, process id and a random part (a restarted pid differs)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Lease:
    """A named lease in the database, held for ``seconds`` at a time."""

    def __init__(
        self,
        engine: AsyncEngine,
        seconds: float,
        name: str = BACKGROUND,
        holder: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.seconds = seconds
        self.name = name
        self.holder = holder or process_name()
        self.clock = clock
        #: The generation held (the fencing token), ``None`` while not held.
        self.generation: int | None = None
        #: Until when (``time.monotonic``) the lease is surely held, from the last acquire.
        self.valid_until = 0.0

    async def acquire(self) -> bool:
        """Take or renew the lease; False while another live process holds it.

        Renewing keeps the generation; taking the lease (first, after it ended, or again after
        this process lost it) raises it by one, so claims made under the old one are fenced off.
        """
        started = time.monotonic()
        now = self.clock()
        until = now + self.seconds
        mine = (leases.c.name == self.name) & (leases.c.holder == self.holder)
        async with self.engine.begin() as conn:
            if self.generation is not None:
                renewed = await conn.execute(
                    update(leases)
                    .where(mine & (leases.c.generation == self.generation))
                    .values(expires_at=until)
                )
                if renewed.rowcount == 1:
                    self.valid_until = started + self.seconds
                    return True
                self.forget()  # taken over meanwhile: lost, even if it has ended again since
                return False
            await conn.execute(
                update(leases)
                .where(leases.c.name == self.name)
                .where(or_(leases.c.holder == self.holder, leases.c.expires_at < now))
                .values(holder=self.holder, expires_at=until, generation=leases.c.generation + 1)
            )
            row = {"name": self.name, "holder": self.holder, "expires_at": until, "generation": 1}
            await insert_ignoring_duplicates(conn, leases, [row])  # the first holder ever
            held = (
                await conn.execute(select(leases.c.holder, leases.c.generation).where(mine))
            ).first()
        if held is None:
            return False
        self.generation = int(held.generation)
        self.valid_until = started + self.seconds
        return True

    def forget(self) -> None:
        """This process no longer counts on the lease; the next hold is a new generation."""
        self.generation = None
        self.valid_until = 0.0

    def remaining(self) -> float:
        """Seconds the lease is surely still held, by this process's own clock (0: not held)."""
        return max(0.0, self.valid_until - time.monotonic()) if self.generation else 0.0

    async def release(self) -> None:
        """Hand the lease back, so another process need not wait for it to end. The row (and
        its generation) stays, ended, so the generation only ever grows."""
        generation = self.generation
        self.forget()
        async with self.engine.begin() as conn:
            await conn.execute(
                update(leases)
                .where((leases.c.name == self.name) & (leases.c.holder == self.holder))
                .where(leases.c.generation == generation)
                .values(expires_at=0.0)
            )


class Leadership:
    """Tries for the lease every third of it; runs ``on_gain`` when this process becomes the
    leader and ``on_loss`` when it stops being it."""

    def __init__(
        self,
        lease: Lease,
        on_gain: Callable[[], Awaitable[None]],
        on_loss: Callable[[], Awaitable[None]],
    ) -> None:
        self.lease = lease
        self.on_gain = on_gain
        self.on_loss = on_loss
        self.leading = False
        self._task: asyncio.Task[None] | None = None

    async def check(self) -> bool:
        """One round: acquire or renew, and act on a change. A database error counts as a
        loss, so a leader cut off from the database stops sending."""
        try:
            held = await self.lease.acquire()
        except Exception as error:
            log.warning("lease %s: the database did not answer: %s", self.lease.name, error)
            held = False
        if not held:
            self.lease.forget()
        if held and not self.leading:
            await self.on_gain()  # if it fails, the next round tries again
            self.leading = True
            log.info(
                "lease %s: this process (%s) now runs it (generation %s)",
                self.lease.name,
                self.lease.holder,
                self.lease.generation,
            )
        elif not held and self.leading:
            log.warning("lease %s: lost to another process; stopping", self.lease.name)
            self.leading = False
            await self.on_loss()
        return held

    async def start(self) -> None:
        """Check once now (a lone process leads at once), then keep checking."""
        await self.check()
        self._task = asyncio.create_task(self._run(), name="leadership")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.lease.seconds / 3)
            try:
                await self.check()
            except Exception:  # starting or stopping the work failed: try again next round
                log.exception("lease %s: changing over failed", self.lease.name)

    async def stop(self) -> None:
        """Stop checking, stop the background work and hand the lease back."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.leading:
            self.leading = False
            await self.on_loss()
            with contextlib.suppress(Exception):
                await self.lease.release()
