"""Conditional requests: ETag on every single resource, If-Match on every change."""

from typing import Annotated

from fastapi import Depends, Header, Request, Response
from pydantic import WithJsonSchema

from api.errors import PreconditionFailed, PreconditionRequired

IF_MATCH_DOC = (
    "The resource's current ETag (from a previous GET). Required: 428 without it, "
    "412 when the resource has changed since. `*` matches any version."
)
IF_MATCH_ERRORS = (PreconditionFailed, PreconditionRequired)
IF_MATCH_MAX = 1000  # ETags are `"<version>"`: a list this long is no client's


async def if_match(
    value: Annotated[
        str | None,
        Header(alias="If-Match", max_length=IF_MATCH_MAX, description=IF_MATCH_DOC),
        WithJsonSchema({"type": "string", "maxLength": IF_MATCH_MAX, "description": IF_MATCH_DOC}),
    ] = None,
) -> str | None:
    """The If-Match header. Optional to FastAPI, so that `check_if_match` answers its absence
    with 428, after a 404 or a 403; the document says it is required, with the 412 and 428
    problems, in every operation that takes it (api/openapi.py)."""
    return value


IfMatch = Annotated[str | None, Depends(if_match)]


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def check_if_match(if_match: str | None, version: int, what: str) -> None:
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            f"Send If-Match with the {what}'s ETag so a concurrent change is not overwritten."
        )
    # Strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" not in tags and etag(version) not in tags:
        raise PreconditionFailed(
            f"The {what} has changed since you read it: it is now at version {version}. "
            "Fetch it again, reapply your change and retry."
        )


def created(request: Request, response: Response, id_: str, version: int) -> None:
    """201 headers: the new resource's URL (POSTs are always on its collection) and ETag."""
    response.headers["Location"] = f"{str(request.url.replace(query='')).rstrip('/')}/{id_}"
    with_etag(response, version)
