"""Every router's routes: a plain `def` endpoint runs in one worker thread, with its session's end.

FastAPI runs each sync endpoint, each sync dependency, the response's validation and the
session's teardown in separate trips to the thread pool; under load those trips, not the
queries, were a quarter of the event loop's time. Here the dependencies that do no I/O are
`async`, and the endpoint and the end of its unit of work (`db.finish`) share one trip, so
a read costs a single hop; the response is then validated on the loop.
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route as StarletteRoute
from starlette.routing import Router
from starlette.types import Receive, Scope, Send

from api.db import finish
from api.errors import MethodNotAllowed
from api.openapi import operation_id


def _run(endpoint: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    result = endpoint(**kwargs)
    for value in kwargs.values():
        if isinstance(value, Session):
            finish(value)  # before the response is built: a failed commit is the client's answer
    return result


def in_one_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint as a coroutine that runs it, then finishes its session, in one worker thread."""

    @functools.wraps(endpoint)
    async def run(**kwargs: Any) -> Any:
        return await run_in_threadpool(_run, endpoint, kwargs)

    return run


class Route(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint) and not inspect.isgeneratorfunction(endpoint):
            endpoint = in_one_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            # Each operation is a route of its own and the router hands a 405 to the first with
            # the path; the Allow header is every method of the path, not just this route's.
            allow = ", ".join(allowed(scope["router"], self.path))
            raise MethodNotAllowed(
                f"{scope['method']} is not allowed here: use {allow}.", headers={"Allow": allow}
            )
        await super().handle(scope, receive, send)


def allowed(router: Router, path: str) -> list[str]:
    """The methods of a path, in the order its routes were added."""
    methods = (
        method
        for route in router.routes
        if isinstance(route, StarletteRoute) and route.path == path and route.methods
        for method in sorted(route.methods)
    )
    return list(dict.fromkeys(methods))


API = "/api/v1"


def router(prefix: str = "", *, tags: list[str], under: str = API) -> APIRouter:
    """A domain's router; its routes carry their whole path, so the app can hold them directly."""
    return APIRouter(
        prefix=under + prefix, tags=list(tags), route_class=Route, generate_unique_id_function=operation_id
    )


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """Put a router's routes in the app's own table instead of including the router.

    FastAPI matches an included router route by route, and again to dispatch, for every
    router before the one that matches: with 109 operations that was a quarter of a simple
    read's time. In one flat table a request is matched once.
    """
    app.router.routes.extend(router.routes)
