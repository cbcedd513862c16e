"""`necdigest run` as operators start it: logs in, keeps its heartbeat file fresh, stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.fake_discord import FakeDiscord


@pytest.fixture
async def fake() -> FakeDiscord:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


def bot_env(fake: FakeDiscord, tmp: Path, token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "DEV_GUILD"))}
    env.update(
        DISCORD_TOKEN=token or fake.token,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bot.sqlite3'}",
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        HEALTH_FILE=str(tmp / "heartbeat"),
        LOG_LEVEL="INFO",
    )
    return env


async def necdigest(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_run_heartbeats_and_stops_cleanly_on_sigterm(fake: FakeDiscord, tmp_path: Path) -> None:
    env = bot_env(fake, tmp_path)
    proc = await necdigest("run", env=env, cwd=tmp_path)
    try:
        await fake.wait_ready(seconds=30)
        for _ in range(150):  # the bot touches it once ready (about 2 s after GUILD_CREATE)
            if (tmp_path / "heartbeat").exists():
                break
            await asyncio.sleep(0.1)
        health = await necdigest("health", env=env, cwd=tmp_path)
        out, err = await health.communicate()
        assert health.returncode == 0, err.decode()
        assert out.decode().startswith("ok")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    log = err.decode()
    assert proc.returncode == 0, log
    assert "received SIGTERM" in log
    shutdown = log.split("received SIGTERM", 1)[1]
    assert "Traceback" not in shutdown and "Task was destroyed" not in log


async def test_refused_token_is_one_clear_line(fake: FakeDiscord, tmp_path: Path) -> None:
    proc = await necdigest("run", env=bot_env(fake, tmp_path, token="wrong-token"), cwd=tmp_path)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 1
    assert "necdigest run: Discord refused the token; check DISCORD_TOKEN" in err.decode()
    assert "Traceback" not in err.decode()
    assert "wrong-token" not in err.decode()


async def test_health_fails_without_a_heartbeat(fake: FakeDiscord, tmp_path: Path) -> None:
    proc = await necdigest("health", env=bot_env(fake, tmp_path), cwd=tmp_path)
    _, err = await proc.communicate()
    assert proc.returncode == 1
    assert "no heartbeat file" in err.decode()
