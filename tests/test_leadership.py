"""The background lease, on each database backend: one holder at a time, renewal, take-over
when the hold ends, hand-back on stop, and a race between many processes."""

from __future__ import annotations

import asyncio

from bot.push.leadership import Leadership, Lease
from bot.push.storage import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


async def test_one_holder_at_a_time_and_take_over_when_the_hold_ends(database_url: str) -> None:
    store = await Store.open(database_url)
    clock = Clock()
    first = Lease(store.engine, 30, holder="first", clock=clock)
    second = Lease(store.engine, 30, holder="second", clock=clock)
    try:
        assert await first.acquire() and not await second.acquire()
        clock.now += 20
        assert await first.acquire()  # renewed: held until 1,050
        clock.now += 20
        assert not await second.acquire()  # 1,040: still held
        clock.now += 11
        assert await second.acquire()  # 1,051: the first holder stopped renewing; taken over
        assert not await first.acquire()
        await second.release()
        assert await first.acquire()  # handed back: no need to wait
    finally:
        await store.close()


async def test_when_many_race_for_the_lease_exactly_one_gets_it(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        leases = [Lease(store.engine, 30, holder=f"p{i}") for i in range(8)]
        results = await asyncio.gather(*(lease.acquire() for lease in leases))
        assert sum(results) == 1
    finally:
        await store.close()


async def test_leadership_starts_and_stops_the_background_work(database_url: str) -> None:
    store = await Store.open(database_url)
    events: list[str] = []

    def recorder(name: str) -> Leadership:
        async def gain() -> None:
            events.append(f"{name} leads")

        async def loss() -> None:
            events.append(f"{name} stops")

        return Leadership(Lease(store.engine, 30, holder=name), gain, loss)

    first, second = recorder("first"), recorder("second")
    try:
        await first.start()
        await second.start()
        assert first.leading and not second.leading
        await first.stop()  # hands the lease back
        assert await second.check() and second.leading
        assert events == ["first leads", "first stops", "second leads"]
        await second.stop()
    finally:
        await store.close()
