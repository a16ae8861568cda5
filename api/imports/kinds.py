"""Every kind of record a file can hold, by the name the API and the CLI use for it."""

from api.imports.activity import COLLABORATIONS, SUPPORT_SCHEMES
from api.imports.records import AREAS, STAKEHOLDERS, VALUES, Importer

IMPORTERS: dict[str, Importer] = {
    importer.resource: importer
    for importer in (AREAS, STAKEHOLDERS, COLLABORATIONS, *VALUES, SUPPORT_SCHEMES)
}
