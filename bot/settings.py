"""Settings from the environment and `.env`, built once by the composition root."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/necdigest.sqlite3"


def usable_cpus() -> int:
    """The CPU cores this process may run on (its affinity, where the system has one), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class Settings(BaseSettings):
    """Every setting the bot reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    dev_guild_id: int | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    shard_count: int | None = None
    shard_ids: str | None = Field(default=None, description="Comma-separated shard ids this process runs")
    poll_interval_seconds: int = Field(default=300, ge=5)
    global_requests_per_second: int = Field(
        default=50, ge=1, description="Discord's global REST limit for this process (per token)"
    )
    auto_subscribe_channels: str = "nec-reports,clp-*"
    allow_private_urls: bool = False
    ingest_workers: int = Field(
        # One core stays with the process that stores: it is the slower half of a bulk ingest. With
        # one core only, a parser process would just take turns with it (a quarter slower in bench_ingest).
        default_factory=lambda: usable_cpus() - 1,
        ge=0,
        description="Parser processes for a batch of files (default: usable CPU cores but one; 0 parses in-process)",
    )
    log_level: str = "INFO"
    health_file: Path = Path("./data/heartbeat")

    @property
    def auto_subscribe_patterns(self) -> list[str]:
        """Channel-name patterns that get an `on-new` subscription automatically."""
        return [p.strip().lower() for p in self.auto_subscribe_channels.split(",") if p.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
