"""Logging: one JSON object per line on stderr (or plain text at a terminal), the request's id in each.

The request lines come from `api.monitoring.Observe` (logger `api.requests`) and replace
uvicorn's access log, which would print the query string. The app's own records and
uvicorn's carry the id of the request they were written in, when there is one.
"""

import datetime as dt
import logging
import sys
from contextvars import ContextVar
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["auto", "json", "text"]

# Set by api.middleware.Guard once it has decided the request's id.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


class WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


class Json(JsonFormatter):
    """timestamp, level, logger, message, then the record's own fields (request_id, route, …)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "timestamp", "levelname": "level", "name": "logger"},
            # uvicorn's color_message is its message again, with terminal colour codes.
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        # UTC with milliseconds: lines from several hosts sort and compare as text.
        return dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")


TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def resolve(fmt: LogFormat) -> Literal["json", "text"]:
    """auto: text for a person at a terminal, JSON for anything that collects the output."""
    if fmt != "auto":
        return fmt
    return "text" if sys.stderr.isatty() else "json"


def config(fmt: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the app and uvicorn (`uvicorn.run(log_config=...)`)."""
    chosen = resolve(fmt)
    formatter: dict[str, Any] = {"()": Json} if chosen == "json" else {"format": TEXT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": WithRequestId}},
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # Records go up to the root's one handler; uvicorn's own config gives them others.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            # Replaced by api.requests: uvicorn's line has the query string, which may hold a token.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
