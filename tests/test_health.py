"""``GET /healthz`` and the webhook route, in process over ASGI (the end-to-end test over real
HTTP is in test_webhook.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from bot.app import build_application
from bot.push.storage import Store
from bot.services import Services
from bot.web import SECRET_HEADER, web_app


async def get(services: Services, path: str, **kwargs: object) -> httpx.Response:
    app = web_app(build_application(services), services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        if path == "/healthz":
            return await client.get(path)
        return await client.post(path, **kwargs)  # type: ignore[arg-type]


def with_settings(services: Services, **changes: Any) -> Services:
    return replace(services, settings=replace(services.settings, **changes))


async def test_healthy_data_and_database_answer_200_with_the_figures(services: Services) -> None:
    await services.store.migrate()
    answer = await get(with_settings(services, health_max_late_days=365), "/healthz")
    assert answer.status_code == 200
    report = answer.json()
    assert report["status"] == "ok" and report["problems"] == []
    assert report["latest_month"] == "2026-03" and report["next_month"] == "2026-04"
    assert report["next_expected_on"] == "2026-05-20" and report["days_past_expected"] == 193
    assert report["database_reachable"] is True
    assert report["outbox_depth"] == 0 and report["failed_deliveries"] == 0
    await services.store.close()


async def test_data_too_long_past_its_release_answers_503(services: Services) -> None:
    await services.store.migrate()
    answer = await get(with_settings(services, health_max_late_days=14), "/healthz")
    assert answer.status_code == 503
    assert answer.json()["problems"] == ["2026-04 is 193 days past its expected release (limit 14)"]
    await services.store.close()


async def test_an_unreachable_database_answers_503(services: Services) -> None:
    broken = Store("postgresql+asyncpg://bot:pw@127.0.0.1:9/nowhere")  # nothing listens on 9
    answer = await get(
        replace(with_settings(services, health_max_late_days=365), store=broken), "/healthz"
    )
    assert answer.status_code == 503
    report = answer.json()
    assert report["database_reachable"] is False
    assert report["problems"] == ["the database did not answer"]


async def test_the_webhook_route_refuses_requests_without_the_secret(services: Services) -> None:
    hooked = with_settings(
        services, mode="webhook", webhook_url="https://bot.example/tg/hook", webhook_secret="s3"
    )
    update = {"update_id": 1}
    assert (await get(hooked, "/tg/hook", json=update)).status_code == 403
    wrong = {SECRET_HEADER: "nope"}
    assert (await get(hooked, "/tg/hook", json=update, headers=wrong)).status_code == 403
    right = {SECRET_HEADER: "s3"}
    assert (await get(hooked, "/tg/hook", content=b"[1,", headers=right)).status_code == 400
    assert (await get(services, "/tg/hook", json=update)).status_code == 404  # polling: no route
