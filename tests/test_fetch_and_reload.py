"""The UN Comtrade fetch over real HTTP to a local server replaying recorded answers; the
scheduled fetch; /comtrade, /sources history and /reload through the real Application; and a
revised import reaching subscribers."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import urllib3
from comtradeapicall import PreviewGet

from bot.config import Settings
from bot.console import LocalChat, replies
from bot.data import comtrade
from bot.data.dataset import COMTRADE_SERIES
from bot.data.ledger import records
from bot.data.ops import fetch_comtrade, import_file
from bot.datastore import DataStore
from bot.push.releases import check_releases
from bot.reading.periods import Period
from bot.render import answers
from bot.scheduler import months_to_fetch, run_comtrade_fetch
from bot.services import Services
from tests.conftest import DATA_DIR, TODAY
from tests.imports import CUSTOMS_ROWS, customs_text, write

RECORDED = Path(__file__).parent / "recorded"
OPERATOR = 1001  # the console's default user


class Replay:
    """A local Comtrade API: answers from a queue, records each request's path and query."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, bytes]] = []
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                replay.requests.append((url.path, parse_qs(url.query)))
                status, body = replay.answers.pop(0) if replay.answers else (500, b"{}")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, status: int, body: bytes | str) -> None:
        self.answers.append((status, body.encode() if isinstance(body, str) else body))


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Replay]:
    """Point comtradeapicall's HTTP at the local server: only the address changes."""
    server = Replay()

    class Redirected(urllib3.PoolManager):
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            local = url.replace("https://comtradeapi.un.org", server.base)
            return super().request(method, local, *args, **kwargs)

    shim = SimpleNamespace(PoolManager=Redirected, exceptions=urllib3.exceptions)
    monkeypatch.setattr(PreviewGet, "urllib3", shim)
    yield server
    server.server.shutdown()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def settings_for(data_dir: Path, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(data_dir=data_dir, fetch_dir=tmp_path / "fetched", **extra)


def test_fetch_asks_for_china_850511_exports_and_imports_the_answer(
    replay: Replay, data_dir: Path, tmp_path: Path
) -> None:
    replay.answer(200, (RECORDED / "comtrade_preview_202506.json").read_bytes())
    code, report = fetch_comtrade(settings_for(data_dir, tmp_path), "2025-06", TODAY)
    assert code == 0 and "Fetched 4 row(s) from UN Comtrade" in report
    assert "Imported comtrade-850511-2025-06-" in report and "8 figures for 2025-06" in report
    ((path, query),) = replay.requests
    assert path == "/public/v1/preview/C/M/HS"  # no key: the preview endpoint
    assert query["reportercode"] == ["156"] and query["cmdCode"] == ["850511"]
    assert query["flowCode"] == ["X"] and query["period"] == ["202506"]
    (record,) = records(data_dir)
    assert record.series == COMTRADE_SERIES and record.format == "comtrade"
    figures = {(f.partner, f.metric): f for f in DataStore(data_dir).current.comtrade.figures}  # type: ignore[union-attr]
    assert figures[("US", "tonnes")].value == 412 and figures[("TW", "tonnes")].value == 90


def test_the_key_selects_the_full_endpoint(replay: Replay, data_dir: Path, tmp_path: Path) -> None:
    replay.answer(200, (RECORDED / "comtrade_preview_empty.json").read_bytes())
    settings = settings_for(data_dir, tmp_path, comtrade_api_key="k123")
    fetch_comtrade(settings, "2025-06", TODAY)
    ((path, query),) = replay.requests
    assert path == "/data/v1/get/C/M/HS" and query["subscription-key"] == ["k123"]


def test_a_rate_limit_is_waited_out_and_retried(replay: Replay, tmp_path: Path) -> None:
    limited = json.dumps(
        {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 3 seconds."}
    )
    replay.answer(429, limited)
    replay.answer(200, (RECORDED / "comtrade_preview_202506.json").read_bytes())
    waits: list[float] = []
    result = comtrade.fetch(Period.month(2025, 6), tmp_path, sleep=waits.append)
    assert isinstance(result, comtrade.Fetched) and result.rows == 4
    assert waits == [3.0] and len(replay.requests) == 2


def test_an_empty_answer_or_an_error_imports_nothing_and_says_why(
    replay: Replay, data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(data_dir, tmp_path)
    replay.answer(200, (RECORDED / "comtrade_preview_empty.json").read_bytes())
    code, report = fetch_comtrade(settings, "2025-09", TODAY)
    assert code == 0 and "has no data for China's exports of 850511 in September 2025" in report
    replay.answer(500, '{"statusCode": 500, "message": "Internal error"}')
    code, report = fetch_comtrade(settings, "2025-09", TODAY)
    assert code == 1 and "Internal error" in report
    assert not records(data_dir)
    assert "UN Comtrade fetch for 2025-09 failed" in caplog.text
    code, report = fetch_comtrade(settings, "June", TODAY)
    assert code == 2 and "a month such as 2025-06" in report


async def test_the_scheduled_fetch_takes_the_months_after_the_latest_and_stops_at_the_first_gap(
    replay: Replay, data_dir: Path, tmp_path: Path, sqlite_services: Services
) -> None:
    services = replace(sqlite_services, settings=settings_for(data_dir, tmp_path))
    services.data = DataStore(data_dir)
    await services.store.migrate()
    for_june = (RECORDED / "comtrade_preview_202506.json").read_bytes()
    import_file(services.settings, _saved_june(tmp_path, replay), TODAY)  # June is held
    services.data.reload()
    assert [m.code for m in months_to_fetch(services)] == ["2025-07", "2025-08", "2025-09"]
    july = for_june.decode().replace("202506", "202507").replace("20250601", "20250701")
    replay.answer(200, july.replace('"refMonth": 6', '"refMonth": 7'))
    replay.answer(200, (RECORDED / "comtrade_preview_empty.json").read_bytes())
    imported = await run_comtrade_fetch(services)
    assert imported == ["2025-07"] and len(replay.requests) == 3  # June, July, empty August
    assert services.data.current.comtrade is not None
    assert services.data.current.comtrade.latest_month().code == "2025-07"  # type: ignore[union-attr]


def _saved_june(tmp_path: Path, replay: Replay) -> Path:
    replay.answer(200, (RECORDED / "comtrade_preview_202506.json").read_bytes())
    result = comtrade.fetch(Period.month(2025, 6), tmp_path / "fetched")
    assert isinstance(result, comtrade.Fetched)
    return result.path


# -- in the chat ---------------------------------------------------------------------------


@pytest.fixture
def operator_services(sqlite_services: Services, data_dir: Path) -> Services:
    settings = Settings(
        data_dir=data_dir,
        database_url=sqlite_services.settings.database_url,
        admin_user_ids=frozenset({OPERATOR}),
    )
    return replace(sqlite_services, settings=settings, data=DataStore(data_dir))


async def test_comtrade_answers_are_labelled_and_say_when_there_are_none(
    operator_services: Services, tmp_path: Path
) -> None:
    async with LocalChat(operator_services) as chat:
        assert replies(await chat.send("/comtrade US"))[0] == answers.NO_COMTRADE
        assert replies(await chat.send("/sources comtrade US"))[0] == answers.NO_COMTRADE
        path = tmp_path / "comtrade.csv"
        frame_text = (RECORDED / "comtrade_preview_202506.json").read_text()
        _write_comtrade_csv(path, frame_text)
        import_file(operator_services.settings, path, TODAY)
        operator_services.data.reload()
        calls = await chat.send("/comtrade US 2025-06")
        text = replies(calls)[0]
        assert "China → United States, June 2025" in text and "412 t" in text
        assert "HS 850511: all metal permanent magnets" in text
        assert "reply_markup" not in calls[-1].params  # the buttons belong to the customs series
        assert "Detail: /sources comtrade US 2025-06" in "\n".join(replies(calls))
        detail = "\n".join(replies(await chat.send("/sources comtrade US 2025-06")))
        assert "UN Comtrade+, HS 850511 (broader than 85051110): comtrade.csv" in detail
        customs = replies(await chat.send("/exports US 2025-06"))[0]
        assert "353 t" in customs and "850511" not in customs


def _write_comtrade_csv(path: Path, answer: str) -> None:
    import pandas as pd

    pd.json_normalize(json.loads(answer)["data"]).to_csv(path, index=False)


async def test_reload_reports_what_changed_and_is_for_operators_only(
    operator_services: Services, data_dir: Path, tmp_path: Path
) -> None:
    async with LocalChat(operator_services) as chat:
        stranger = {"id": 42, "is_bot": False, "first_name": "Stranger"}
        refused = replies(await chat.send("/reload", user=stranger, chat_id=42))
        assert refused[0].startswith("🔒")
        assert "unchanged" in replies(await chat.send("/reload"))[0]
        import_file(operator_services.settings, write(tmp_path, "c.csv", customs_text()), TODAY)
        report = replies(await chat.send("/reload"))[0]
        assert "Data reloaded" in report and "New import 1 (c.csv," in report
        assert "China 85051110</b>: 4 added, 2 revised, 0 withdrawn" in report
        assert "• United States, June 2025: 353 t → 353.48 t" in report
        csv = data_dir / "magnet_exports.csv"
        bad_line = len(csv.read_text().splitlines()) + 1  # the row appended
        csv.write_text(csv.read_text() + "2025-06,US,tonnes,-1,reported,normal,x,,,\n")
        rejected = replies(await chat.send("/reload"))[0]
        assert "Reload rejected" in rejected and f"magnet_exports.csv, line {bad_line}" in rejected
        assert "value -1 is negative" in rejected
        answer = replies(await chat.send("/exports US 2025-06"))[0]
        assert "353.5 t" in answer  # still the good data


async def test_a_revised_import_sends_subscribers_a_revision_notice(
    operator_services: Services, tmp_path: Path
) -> None:
    services = operator_services
    async with LocalChat(services) as chat:
        await chat.send("/subscribe")  # is sent the latest month, March 2026
        assert (await check_releases(services.store, services.lookup())).baseline
        rows = [r.replace("202506", "202603") for r in CUSTOMS_ROWS]
        import_file(services.settings, write(tmp_path, "march.csv", customs_text(rows)), TODAY)
        calls = await chat.send("/reload")
        assert "revision notice for March 2026" in replies(calls)[0]
        await services.delivery.drain()  # type: ignore[union-attr]
        notices = [
            m
            for m in await services.store.messages(chat_id=OPERATOR)
            if m.kind.startswith("revision")
        ]
        assert notices and notices[0].status == "sent"
        assert "United States: 406 t → 353.5 t" in notices[0].text
        assert "Germany: new figure, 1,000.5 t" in notices[0].text


async def test_an_imported_new_month_with_its_total_is_pushed_to_subscribers(
    operator_services: Services, tmp_path: Path
) -> None:
    services = operator_services
    async with LocalChat(services) as chat:
        await chat.send("/subscribe")
        assert (await check_releases(services.store, services.lookup())).baseline
        rows = [r.replace("202506", "202604") for r in CUSTOMS_ROWS]
        rows.append('202604,85051110,稀土永磁铁,000,总值,"4,100,000",千克,,,"200,000,000"')
        import_file(services.settings, write(tmp_path, "april.csv", customs_text(rows)), TODAY)
        report = replies(await chat.send("/reload"))[0]
        assert "Queued 1 message(s): new month April 2026" in report
        await services.delivery.drain()  # type: ignore[union-attr]
        sent = [m for m in await services.store.messages(chat_id=OPERATOR) if m.month == "2026-04"]
        assert [m.status for m in sent] == ["sent"]
        assert "April 2026" in sent[0].text and "4,100 t" in sent[0].text
