from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep, SessionFactory
from api.errors import Conflict, NotFound, ValidationFailed, problems
from api.open_data import files, giving360, kumu, open_sdg, oruk, service
from api.open_data.files import CsvFile, JsonFile, XlsxFile
from api.open_data.schemas import COLUMNS, OpenSdgMeta, OrukFeed, TidyColumns, ValueKind
from api.openapi import FILES, HEADERS
from api.tabular import XLSX

router = routing.router("/open-data", tags=["open-data"])
MetricRef = Annotated[bounds.Code, Path(description="The metric's id or code.")]


DISPOSITION = {
    "Content-Disposition": {
        **HEADERS["Content-Disposition"],
        "description": "`attachment` and the file's name.",
    }
}


def _file(media: str, what: str) -> dict[int | str, dict[str, Any]]:
    """The 200 answer a file route documents: the file's media type, and what it holds."""
    return {200: {"description": what, "content": {media: FILES[media]}, "headers": DISPOSITION}}


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d")


def _factory(request: Request) -> SessionFactory:
    factory: SessionFactory = request.app.state.session_factory
    return factory


@router.get(
    "/open-sdg/{metric_id}/data.csv",
    response_class=CsvFile,
    responses={**_file("text/csv", "Open SDG's tidy CSV."), **problems(NotFound, Conflict, ValidationFailed)},
)
def open_sdg_data(
    request: Request,
    session: SessionDep,
    access: Annotated[Access, allow("metrics", "read")],
    metric_id: MetricRef,
    kind: Annotated[ValueKind, Query(description="Which values.")] = ValueKind.observations,
    columns: Annotated[TidyColumns, Query(description=COLUMNS)] = TidyColumns.all,
) -> StreamingResponse:
    """A metric's area-wide values in Open SDG's tidy layout, as the tidy import reads them back.

    One row a value: `Year` (a year for values of 1 January, else the date), `Series` when
    the values have a `series` breakdown, `Units`, a column per breakdown (blank: the total),
    `GeoCode`, `Value`. Values measured on a collaboration are that project's own figures and
    are not in it. 409 when a breakdown is named like one of the layout's own columns.
    """
    metric = service.metric(session, metric_id)
    names = open_sdg.breakdown_names(session, metric.id, kind)  # checked before anything is sent
    chunks = open_sdg.data(_factory(request), metric, kind, names, columns)
    return files.attachment(request, CsvFile, chunks, f"{metric.code}-{kind}-{_stamp()}.csv")


@router.get(
    "/open-sdg/{metric_id}/meta.json",
    response_model=OpenSdgMeta,
    responses=problems(NotFound, ValidationFailed),
)
def open_sdg_meta(
    session: SessionDep, access: Annotated[Access, allow("metrics", "read")], metric_id: MetricRef
) -> OpenSdgMeta:
    """A metric's metadata under Open SDG's field names; what is not held here is null."""
    return open_sdg.meta(session, service.metric(session, metric_id))


@router.get(
    "/oruk/services",
    response_class=JSONResponse,  # documented as JSON; the answer is streamed all the same
    responses={200: {"model": OrukFeed, "description": "ORUK's page of services.", "headers": DISPOSITION}},
)
def oruk_services(
    request: Request, access: Annotated[Access, allow("support-schemes", "read")]
) -> StreamingResponse:
    """The support schemes as Open Referral UK services, every one on one page, fully nested.

    Each scheme is a service (HSDS 3.0, UK profile): its provider the `organization`, its
    areas `service_areas` (ONS URIs, so GSS codes), who is eligible and the missions it
    serves `attributes` in taxonomies of ours; its offer and closing date, which ORUK has no
    field for, under `x-roadmap-tracker`. `roadmap import --format oruk` reads it back.
    """
    chunks = oruk.feed(_factory(request))
    return files.attachment(request, JsonFile, chunks, f"oruk-services-{_stamp()}.json")


@router.get("/360giving/grants.csv", response_class=CsvFile, responses=_file("text/csv", "360Giving CSV."))
def giving360_grants_csv(
    request: Request, access: Annotated[Access, allow("collaborations", "read")]
) -> StreamingResponse:
    """Funded collaborations as 360Giving grants (CSV), as the `360giving` import reads them.

    One grant a funded collaboration the caller may see: its lead the recipient, its funder
    the funder, its places the beneficiary locations (GSS codes).
    """
    chunks = giving360.csv(_factory(request), published_only=not access.sees_drafts)
    return files.attachment(request, CsvFile, chunks, f"grants-360giving-{_stamp()}.csv")


@router.get("/360giving/grants.xlsx", response_class=XlsxFile, responses=_file(XLSX, "360Giving XLSX."))
def giving360_grants_xlsx(
    request: Request, access: Annotated[Access, allow("collaborations", "read")]
) -> StreamingResponse:
    """Funded collaborations as 360Giving grants (XLSX): the CSV's rows on one sheet."""
    chunks = giving360.workbook(_factory(request), published_only=not access.sees_drafts)
    return files.attachment(request, XlsxFile, chunks, f"grants-360giving-{_stamp()}.xlsx")


@router.get("/kumu.xlsx", response_class=XlsxFile, responses=_file(XLSX, "A Kumu workbook."))
def kumu_map(
    request: Request, access: Annotated[Access, allow("collaborations", "read")]
) -> StreamingResponse:
    """The network as a Kumu map: organisations and collaborations, and who takes part in what.

    `Elements` and `Connections` sheets in the layout the `kumu` import reads: import it as
    stakeholders, then as collaborations, for the same network. A collaboration of two
    partners and nothing more is one connection between them, as Kumu draws a partnership.
    """
    chunks = kumu.workbook(_factory(request), published_only=not access.sees_drafts)
    return files.attachment(request, XlsxFile, chunks, f"kumu-map-{_stamp()}.xlsx")
