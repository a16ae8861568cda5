"""A row's cells into a schema's fields: each cell parsed by the field's type, problems by column.

A blank cell is a field not given: a new record takes the default, an existing one keeps
what it has. (Clearing a field is an edit in the app or the API, never an accident of a
blank cell.)
"""

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from api.errors import ProblemError, ValidationFailed
from api.imports import cells

Parse = Callable[[str], Any]


class RowError(Exception):
    """Why one row cannot be imported, and which of its cells is to blame (if one is)."""

    def __init__(self, message: str, field: str | None = None, value: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.value = message, field, value


def _kinds(annotation: Any) -> list[Any]:
    """The types an annotation allows, unwrapping Optional, unions and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [k for arg in typing.get_args(annotation) for k in _kinds(arg)]
    return [annotation]


def _choice(text: str) -> str:
    """ "Local authority" or "local-authority" is the choice `local_authority`."""
    return text.strip().lower().replace(" ", "_").replace("-", "_")


def parser(name: str, annotation: Any) -> Parse:
    """How a cell for this field is read."""
    for kind in _kinds(annotation):
        origin = typing.get_origin(kind)
        if kind is type(None):
            continue
        if origin is list:
            return cells.parse_list
        if kind is bool:
            return cells.parse_bool
        if kind is dt.date:
            return cells.parse_date
        if kind is int:
            return cells.parse_pence if name.endswith("_pence") else lambda text: int(text.strip())
        if kind is Decimal:
            return lambda text: cells.parse_value(text)[0]
        if isinstance(kind, type) and issubclass(kind, Enum):
            return _choice
    return str.strip


@functools.cache
def parsers(schema: type[BaseModel], skip: frozenset[str] = frozenset()) -> tuple[tuple[str, Parse], ...]:
    """Each field's parser, in the schema's order: worked out once per schema, not per row."""
    return tuple((n, parser(n, f.annotation)) for n, f in schema.model_fields.items() if n not in skip)


def parse_cells(
    schema: type[BaseModel], row: Mapping[str, str], skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The row's non-blank cells for the schema's fields, each parsed by the field's type."""
    values: dict[str, Any] = {}
    for name, parse in parsers(schema, skip):
        text = row.get(name, "")
        if not text or text.isspace():
            continue
        try:
            values[name] = parse(text)
        except (cells.CellProblem, ValueError) as problem:
            raise RowError(str(problem), name, text) from problem
    return values


def validate(schema: type[BaseModel], values: dict[str, Any], row: Mapping[str, str]) -> BaseModel:
    """The schema's own checks, each failure named by its column."""
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        message = first["msg"].removeprefix("Value error, ")
        raise RowError(message, field, row.get(field or "", None)) from error


def from_problem(problem: ProblemError) -> RowError:
    """A service's refusal (a 409, a 422 naming a body field) as a row's problem."""
    if isinstance(problem, ValidationFailed) and problem.errors:
        first = problem.errors[0]
        return RowError(first.message, first.field.removeprefix("body.") or None)
    return RowError(problem.detail or problem.title)
