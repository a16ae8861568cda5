"""Files as they are sent (written by api.tabular): CSV as rows come; XLSX built on disk, then sent.

Their rows come a page at a time, each page read in a short session of its own
(api.open_data.service.paged), from the first chunk on: a file that is never sent reads nothing.
"""

from collections.abc import Iterator

from fastapi import Request

from api.middleware import Download, start_download
from api.tabular import CONTENT_TYPES, XLSX, ListFormat


class CsvFile(Download):
    media_type = "text/csv"  # what OpenAPI documents; the header adds the charset


class XlsxFile(Download):
    media_type = XLSX


class JsonFile(Download):
    media_type = "application/json"


def attachment(
    request: Request, response: type[Download], chunks: Iterator[bytes], filename: str
) -> Download:
    """The file as a download (503 when the worker sends as many as it may: api.middleware.Ticket)."""
    start_download(request.scope)
    media = CONTENT_TYPES[ListFormat.csv] if response is CsvFile else response.media_type
    disposition = f'attachment; filename="{filename}"'
    return response(chunks, media_type=media, headers={"Content-Disposition": disposition})
