"""RFC 9457 problem details: one error base class that renders and documents itself."""

import logging
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.bounds import INT32, Code, Name, Quoted, Url, keywords

PROBLEM_JSON = "application/problem+json"
# On every answer (middleware.SecurityHeaders); a 500 is sent outside all middleware, so it adds them itself.
BROWSER_SAFE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
MAX_ERRORS = 100  # a body's worth of wrong values says no more than its first hundred
log = logging.getLogger(__name__)


class FieldError(BaseModel):
    # A path and a message may quote what was sent (a breakdown's name): both are cut short.
    field: Quoted = Field(description="Dotted path of the offending field, e.g. `body.name`.")
    message: Quoted
    type: Code = Field(description="Machine-readable error code.")


class Problem(BaseModel):
    type: Url = Field(description="URI identifying the problem type.")
    title: Name
    status: Annotated[int, Field(ge=100, le=599), keywords(**INT32)]
    detail: Quoted | None = None
    errors: list[FieldError] | None = Field(
        default=None,
        max_length=MAX_ERRORS,
        description=f"For validation problems: one entry per offending field (the first {MAX_ERRORS}).",
    )


class ProblemError(Exception):
    """Base for every error the API answers with; subclasses fix status and title."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"
    slug: ClassVar[str] = "internal"
    headers: Mapping[str, str] | None = None

    def __init__(self, detail: str | None = None, *, headers: Mapping[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers

    @classmethod
    def problem_type(cls) -> str:
        return f"https://roadmap-tracker.org/problems/{cls.slug}"

    def to_problem(self) -> Problem:
        return Problem(type=self.problem_type(), title=self.title, status=self.status, detail=self.detail)


class BadRequest(ProblemError):
    status, title, slug = 400, "Bad Request", "bad-request"


class NotFound(ProblemError):
    status, title, slug = 404, "Not Found", "not-found"


class MethodNotAllowed(ProblemError):
    status, title, slug = 405, "Method Not Allowed", "method-not-allowed"


class Unauthorized(ProblemError):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="roadmap-tracker"'})


class Forbidden(ProblemError):
    status, title, slug = 403, "Forbidden", "forbidden"


class Conflict(ProblemError):
    status, title, slug = 409, "Conflict", "conflict"


class PreconditionFailed(ProblemError):
    status, title, slug = 412, "Precondition Failed", "stale-version"


class PayloadTooLarge(ProblemError):
    status, title, slug = 413, "Content Too Large", "payload-too-large"


class UnsupportedMediaType(ProblemError):
    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"


class ValidationFailed(ProblemError):
    status, title, slug = 422, "Unprocessable Content", "validation"

    def __init__(self, errors: list[FieldError], detail: str | None = None):
        more = f" (the first {MAX_ERRORS} of {len(errors)})" if len(errors) > MAX_ERRORS else ""
        super().__init__(detail or f"The request is not valid; see `errors`{more}.")
        self.errors = errors[:MAX_ERRORS]

    @classmethod
    def single(cls, field: str, message: str, type_: str = "value_error") -> "ValidationFailed":
        return cls([FieldError(field=field, message=message, type=type_)], detail=message)

    def to_problem(self) -> Problem:
        problem = super().to_problem()
        problem.errors = self.errors
        return problem


class PreconditionRequired(ProblemError):
    status, title, slug = 428, "Precondition Required", "if-match-required"


class TooManyRequests(ProblemError):
    status, title, slug = 429, "Too Many Requests", "rate-limited"


class ServiceUnavailable(ProblemError):
    status, title, slug = 503, "Service Unavailable", "unavailable"


def problems(*errors: type[ProblemError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the errors an operation can answer with."""
    return {
        e.status: {
            "model": Problem,
            "description": e.title,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for e in errors
    }


def problem_response(error: ProblemError) -> JSONResponse:
    return JSONResponse(
        error.to_problem().model_dump(mode="json", exclude_none=True),
        status_code=error.status,
        media_type=PROBLEM_JSON,
        headers=error.headers,
    )


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_error(exc: RequestValidationError) -> ValidationFailed:
    errors = [
        FieldError(field=_field(tuple(e.get("loc", ()))), message=e["msg"], type=e["type"])
        for e in exc.errors()
    ]
    return ValidationFailed(errors)


_HTTP_ERRORS: dict[int, type[ProblemError]] = {
    e.status: e
    for e in (BadRequest, NotFound, MethodNotAllowed, Conflict, PayloadTooLarge, UnsupportedMediaType)
}


def _cancelled(exc: Exception) -> bool:
    """A statement stopped at the statement timeout (api.db): PostgreSQL's query_canceled
    (SQLSTATE 57014), or SQLite's progress handler."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == "57014" or str(orig) == "interrupted"


def unavailable(exc: Exception) -> ServiceUnavailable:
    """The answer for a database that is down, busy, or stopped a statement at its timeout;
    also for the middleware, which runs outside the exception handlers."""
    if _cancelled(exc):
        log.warning("statement timeout: %s", exc)
        slow = "The request took longer than the server allows and was stopped; retry later, or narrow it."
        return ServiceUnavailable(slow, headers={"Retry-After": "5"})
    log.warning("database unavailable: %s", exc)
    down = "The database is busy or unreachable; retry shortly."
    return ServiceUnavailable(down, headers={"Retry-After": "1"})


def install(app: FastAPI) -> None:
    async def on_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(exc)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_error(exc))

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        cls = _HTTP_ERRORS.get(exc.status_code, BadRequest)
        error = cls(str(exc.detail), headers=exc.headers)
        return problem_response(error)

    async def on_integrity(_: Request, exc: Exception) -> JSONResponse:
        # Services check references and uniqueness first; this is the race-safe backstop.
        log.info("integrity error: %s", exc)
        return problem_response(Conflict("The change conflicts with existing records."))

    async def on_data(_: Request, exc: Exception) -> JSONResponse:
        # Values the database cannot hold that validation did not catch (e.g. NUL in a query).
        log.info("data error: %s", exc)
        message = "A value in the request cannot be stored or compared (too long, or invalid characters)."
        return problem_response(ValidationFailed.single("request", message))

    async def on_stale(_: Request, exc: Exception) -> JSONResponse:
        # Another writer committed between our If-Match check and our write.
        return problem_response(
            PreconditionFailed(
                "The record changed while your edit was being saved. Fetch it again and retry."
            )
        )

    async def on_operational(_: Request, exc: Exception) -> JSONResponse:
        return problem_response(unavailable(exc))

    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        headers = {**BROWSER_SAFE, "Cache-Control": "no-store"}
        return problem_response(ProblemError("An unexpected error occurred.", headers=headers))

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(IntegrityError, on_integrity)
    app.add_exception_handler(DataError, on_data)
    app.add_exception_handler(StaleDataError, on_stale)
    app.add_exception_handler(OperationalError, on_operational)
    app.add_exception_handler(PoolTimeout, on_operational)
    app.add_exception_handler(Exception, on_unexpected)
