"""Settings read from the environment (and an optional `.env`)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.logs import LogFormat


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./data/roadmap.db"
    # Requests larger than this are refused with 413 before they are parsed.
    max_body_bytes: int = 1_048_576
    # A file sent to /api/v1/imports: streamed to disk, never held in memory.
    max_import_bytes: int = 209_715_200
    page_size_max: int = 500
    cors_origins: list[str] = ["http://127.0.0.1:5173", "http://localhost:5173"]
    # Host names the API answers to (Location and Link use them); add your public name.
    allowed_hosts: list[str] = ["127.0.0.1", "localhost", "testserver"]
    # SQLite page cache per connection, in KiB; resident memory is this times the pool size.
    sqlite_cache_kib: int = 2048
    # Requests served at once per worker; each holds a database connection while it runs, so
    # the pool has this many (and max_downloads). More does not go faster on a few cores: it
    # queues inside instead.
    max_in_flight: int = 10
    # Files (`?format=csv|xlsx`, open data) sent at once per worker; beyond, 503 at once. A
    # file counts here, not above, once it starts sending: a slow client keeps it open for
    # minutes, reading one page at a time. The pool has a connection for each of these too.
    max_downloads: int = 4
    # A download whose client takes nothing for this long is cut off, freeing its place.
    download_stall_seconds: float = Field(default=60.0, gt=0)
    # Requests beyond that wait their turn, at most this many and this long, else 503.
    max_waiting: int = 1024
    max_wait_seconds: float = 10.0
    # Seconds the server keeps an idle connection open for the next request. Longer than any
    # client or proxy in front keeps one (httpx 5 s, nginx upstream and load balancers 60 s):
    # the side that reuses a connection must be the one to close it, or a request it sends
    # just as the server closes the connection is lost. Uvicorn's own default is 5 s.
    keep_alive_seconds: int = 75
    # With several workers, uvicorn kills one that does not answer its health check within
    # this and starts another. A new worker imports the app first: 15 s at load 9 on 2 CPUs,
    # so uvicorn's 5 s killed every replacement, one after another, for a whole soak.
    worker_healthcheck_seconds: int = Field(default=30, ge=1)
    # A database statement running longer than this is cancelled and its request answered
    # 503 with Retry-After (0: no limit). Every statement a request makes is a page or less.
    statement_timeout_seconds: float = Field(default=15.0, ge=0)
    # SQLite has one writer: a write waits this long for the lock (a long import holds it),
    # then is answered 503 with Retry-After. PostgreSQL's writers do not queue on one lock.
    sqlite_busy_timeout_seconds: float = Field(default=15.0, gt=0)
    idempotency_ttl_hours: int = 24
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    # Failed sign-ins allowed per window, per account and per client address.
    sign_in_window_minutes: int = 15
    sign_in_failures_per_account: int = 5
    sign_in_failures_per_client: int = 20
    # Requests per window (rate_limit_window_seconds), per caller; 0 is no limit. Past it: 429
    # with Retry-After. Without credentials, per client address: 10 a second, far above a
    # person or a page (a list view is a few requests). With an API key or a signed-in
    # session's token, per credential: 20 a second, for a partner's sync job. And all requests
    # with credentials from one address: a credential is not checked before it is counted,
    # so inventing them buys no more than this; room for several busy systems behind one NAT.
    rate_limit_window_seconds: int = Field(default=60, ge=1)
    rate_limit_anonymous: int = Field(default=600, ge=0)
    rate_limit_per_credential: int = Field(default=1200, ge=0)
    rate_limit_per_address: int = Field(default=6000, ge=0)
    # On PostgreSQL each worker counts in memory and adds its counts to the shared ones this
    # often: a database write per request cost up to a third of read throughput. Replicas see
    # each other's requests this late, so a limit can be overshot by about workers * rate * this.
    rate_limit_flush_seconds: float = Field(default=0.25, ge=0)
    # Logs on stderr: json (one object a line), text, or auto: text at a terminal, json otherwise.
    log_format: LogFormat = "auto"
    log_level: str = "INFO"
    # With a token, /metrics answers only `Authorization: Bearer <token>`; without, anyone who reaches it.
    metrics_token: str | None = None
    # Alembic's scripts; beside the package in a checkout, set explicitly in the image.
    migrations_path: Path = Path(__file__).resolve().parent.parent / "migrations"


@lru_cache
def get_settings() -> Settings:
    return Settings()
