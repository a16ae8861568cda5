"""Files as they are sent (written by api.tabular): CSV as rows come; XLSX built on disk, then sent.

Their rows come a page at a time, each page read in a short session of its own
(api.open_data.service.paged), from the first chunk on: a file that is never sent reads nothing.
"""

from collections.abc import Iterator

from fastapi.responses import StreamingResponse

from api.tabular import CONTENT_TYPES, XLSX, ListFormat


class CsvFile(StreamingResponse):
    media_type = "text/csv"  # what OpenAPI documents; the header adds the charset


class XlsxFile(StreamingResponse):
    media_type = XLSX


class JsonFile(StreamingResponse):
    media_type = "application/json"


def attachment(
    response: type[StreamingResponse], chunks: Iterator[bytes], filename: str
) -> StreamingResponse:
    media = CONTENT_TYPES[ListFormat.csv] if response is CsvFile else response.media_type
    disposition = f'attachment; filename="{filename}"'
    return response(chunks, media_type=media, headers={"Content-Disposition": disposition})
