"""The OpenAPI document: stable operation ids and problem+json for every error."""

import re
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from api import bounds, rate_limits
from api.errors import PROBLEM_JSON, Problem
from api.http import IF_MATCH_ERRORS, etag, if_match
from api.middleware import ALWAYS_ADMITTED
from api.tabular import XLSX

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# A request's URL as servers take it (nginx: 8 KiB), with a cursor for the next page.
URL_IN_HEADER = 16_384
HEADERS = {
    "ETag": {
        "description": "The resource's version; send it back as If-Match.",
        "schema": {"type": "string", "maxLength": len(etag(bounds.INT32_MAX))},
    },
    "Location": {
        "description": "URL of the created resource.",
        "schema": {"type": "string", "maxLength": URL_IN_HEADER},
    },
    "Link": {
        "description": 'URL of the next page, as `<…>; rel="next"`.',
        "schema": {"type": "string", "maxLength": URL_IN_HEADER},
    },
    "Content-Disposition": {
        "description": "With `format=csv` or `xlsx`: `attachment` and the file's name.",
        "schema": {"type": "string", "maxLength": bounds.NAME},
    },
}
# Declared once, referred to from every answer that carries them.
COMMON_HEADERS = {
    # CORSMiddleware (api.main), around everything but a 500, which is sent outside all middleware.
    "Access-Control-Allow-Origin": {
        "description": "The caller's `Origin` when the API serves it (`cors_origins`); absent otherwise.",
        "schema": {"type": "string", "maxLength": bounds.URL},
    },
    # api.middleware.RateLimit; a 429 and a 503 say when to come back.
    "RateLimit-Policy": {
        "description": (
            "The limits that apply to this caller (draft-ietf-httpapi-ratelimit-headers): per policy, "
            'its quota `q` of requests per window of `w` seconds, e.g. `"anonymous";q=600;w=60`. '
            "`anonymous`: per client address, without credentials; `credential`: per API key or "
            "access token; `address`: all requests with credentials from one client address."
        ),
        "schema": {"type": "string", "maxLength": 200},
    },
    "RateLimit": {
        "description": (
            "Where this caller stands, per policy: `r` requests left in the window, which ends in "
            '`t` seconds, e.g. `"anonymous";r=599;t=42`.'
        ),
        "schema": {"type": "string", "maxLength": 200},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 86400},
    },
}
LIMIT_REFS = {name: {"$ref": f"#/components/headers/{name}"} for name in ("RateLimit-Policy", "RateLimit")}
RETRY_AFTER_REF = {"$ref": "#/components/headers/Retry-After"}
CORS_REF = {"$ref": "#/components/headers/Access-Control-Allow-Origin"}
FILES = {
    "text/csv": {
        "schema": {
            "type": "string",
            "maxLength": bounds.FILE,
            "description": "RFC 4180 CSV, with a heading row.",
        }
    },
    XLSX: {
        "schema": {
            "type": "string",
            "format": "binary",
            "maxLength": bounds.FILE,
            "description": "An Excel workbook.",
        }
    },
}


def operation_id(route: APIRoute) -> str:
    """`stakeholders-list`, `collaborations-create-participant`: tag, then function name."""
    return f"{route.tags[0]}-{route.name.strip('_').replace('_', '-')}"


def _document(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.get("responses", {})
    for code, response in responses.items():
        if code.startswith(("4", "5")):
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
    ok = responses.get("200") or responses.get("201")
    if ok is None:
        return
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    is_page = "Page" in schema.get("$ref", "")
    headers = ok.setdefault("headers", {})
    if is_page:
        headers["Link"] = HEADERS["Link"]
        if any(p["name"] == "format" for p in operation.get("parameters", [])):
            ok["content"].update(FILES)
            headers["Content-Disposition"] = HEADERS["Content-Disposition"]
    elif (
        operation["operationId"].split("-")[-1] in {"get", "create", "update"}
        or "201" in responses
        or operation["operationId"].split("-")[1] in {"get", "update"}
    ):
        headers["ETag"] = HEADERS["ETag"]
    if "201" in responses:
        headers["Location"] = HEADERS["Location"]


def _rate_limited(url: str, operation: dict[str, Any]) -> None:
    """A 429 beside the other answers, and the limit's headers on each (a 500 is sent outside them)."""
    if rate_limits.exempt(url):
        return
    responses: dict[str, Any] = operation["responses"]
    too_many = responses.setdefault("429", {"description": "Too Many Requests"})
    too_many.setdefault("headers", {})["Retry-After"] = RETRY_AFTER_REF
    for code, response in responses.items():
        if code != "500":
            response.setdefault("headers", {}).update(LIMIT_REFS)


def _unavailable(url: str, operation: dict[str, Any]) -> None:
    """503 with Retry-After: load shed, the database unavailable, or every download slot taken."""
    if url not in ALWAYS_ADMITTED:
        unavailable = operation["responses"].setdefault("503", {"description": "Service Unavailable"})
        unavailable.setdefault("headers", {})["Retry-After"] = RETRY_AFTER_REF


def _cors(operation: dict[str, Any]) -> None:
    for code, response in operation["responses"].items():
        if code != "500":
            response.setdefault("headers", {})["Access-Control-Allow-Origin"] = CORS_REF


def _anonymous_allowed(dependant: Dependant) -> bool:
    return any(
        getattr(d.call, "anonymous_allowed", False) or _anonymous_allowed(d) for d in dependant.dependencies
    )


def anonymous_operations(routers: list[APIRouter]) -> set[str]:
    """The operations whose credentials are optional: a signed-in caller sees more."""
    return {
        operation_id(route)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and _anonymous_allowed(route.dependant)
    }


def _takes_if_match(dependant: Dependant) -> bool:
    return any(d.call is if_match or _takes_if_match(d) for d in dependant.dependencies)


def _require_if_match(operation: dict[str, Any]) -> None:
    """Declared optional so that its absence is answered 428, not 422: required all the same."""
    for parameter in operation["parameters"]:
        if parameter["in"] == "header" and parameter["name"] == "If-Match":
            parameter["required"] = True
    for error in IF_MATCH_ERRORS:
        operation["responses"].setdefault(str(error.status), {"description": error.title})


def build(app: FastAPI, anonymous: set[str] | None = None) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    schema.setdefault("components", {})["headers"] = COMMON_HEADERS
    components = schema["components"].setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components["FieldError"] = components["Problem"].pop("$defs")["FieldError"]
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    conditional = {
        (route.path_format, method.lower())
        for route in app.routes
        if isinstance(route, APIRoute) and _takes_if_match(route.dependant)
        for method in route.methods or ()
    }
    for url, path in schema.get("paths", {}).items():
        for method, operation in path.items():
            _path_parameters_in_order(url, operation)
            responses = operation.setdefault("responses", {})
            if (url, method) in conditional:
                _require_if_match(operation)
            if operation.get("operationId") in (anonymous or set()) and "security" in operation:
                operation["security"].append({})  # no credentials is fine too
            # api.middleware.Guard, on any path: a Host it does not serve (400), a NUL in the URL (422).
            responses.setdefault("400", {"description": "Bad Request"})
            responses.setdefault("422", {})["description"] = "Unprocessable Content"
            if "requestBody" in operation:
                # Refused before validation: bodies over the limit.
                responses.setdefault("413", {"description": "Content Too Large"})
            if operation.get("security"):
                # Credentials are read wherever they are accepted: bad ones are a 401 even on a public read.
                responses.setdefault("401", {"description": "Unauthorized"})
            responses.setdefault("500", {"description": "Internal Server Error"})
            _unavailable(url, operation)
            _rate_limited(url, operation)
            _cors(operation)
            _document(operation)
    return schema


def _path_parameters_in_order(url: str, operation: dict[str, Any]) -> None:
    """Path parameters as they appear in the path (a parent's id before the item's), then the rest."""
    where = {name: url.index(f"{{{name}}}") for name in re.findall(r"{(\w+)}", url)}

    def position(parameter: dict[str, Any]) -> int:
        return where.get(parameter["name"], len(url)) if parameter["in"] == "path" else len(url)

    if "parameters" in operation:
        operation["parameters"].sort(key=position)  # stable: the others keep their order


def summarise(router: APIRouter) -> APIRouter:
    """A route's one-line docstring is its summary; the rest of the docstring, its description."""
    for route in router.routes:
        if isinstance(route, APIRoute) and route.summary is None and route.description:
            first, _, rest = route.description.partition("\n")
            route.summary, route.description = first.strip(), rest.strip()
    return router


def install(app: FastAPI, routers: list[APIRouter]) -> None:
    anonymous = anonymous_operations(routers)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app, anonymous)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
