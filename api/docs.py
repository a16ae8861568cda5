"""/docs (Swagger UI) and /redoc, with their scripts and styles served by this service.

The files are swagger-ui-dist's and redoc's as the fastapi-standalone-docs package ships
them, so their version is the one pinned in pyproject.toml. Loaded from a public CDN they
ran whatever version was current there, and were blank on a closed network. Each page has
a Content-Security-Policy that lets it load nothing from anywhere else.
"""

import html
import json

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.docs import get_redoc_html, swagger_ui_default_parameters
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

PACKAGE = "fastapi_standalone_docs"
DOCS, REDOC = "/docs", "/redoc"
# ReDoc's bundle finds its logo at the page's path + "/logo-mini.svg": its files are served under REDOC.
SWAGGER_FILES, REDOC_FILES, FAVICON = DOCS + "/swagger", REDOC, DOCS + "/fastapi/favicon.png"
INIT = DOCS + "/init.js"


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


STRICT = {
    "default-src": "'none'",
    "script-src": "'self'",  # no inline script: Swagger UI is started by INIT, a file
    "style-src": "'self'",
    "img-src": "'self' data:",  # Swagger UI's icons are data: URLs in its CSS
    "connect-src": "'self'",  # the OpenAPI document, sign-in, and "Try it out"
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}
SWAGGER_POLICY = _policy(STRICT)
# ReDoc styles itself with <style> elements it makes at run time (styled-components) and
# searches in a worker made from a blob: URL. Its scripts are as strict as Swagger UI's.
REDOC_POLICY = _policy({**STRICT, "style-src": "'self' 'unsafe-inline'", "worker-src": "blob:"})

SWAGGER_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{root}{files}/swagger-ui.css">
<link rel="icon" href="{root}{favicon}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{root}{files}/swagger-ui-bundle.js"></script>
<script src="{root}{init}"></script>
</body>
</html>
"""


def _root(request: Request) -> str:
    root: str = request.scope.get("root_path", "").rstrip("/")
    return root


def _init_script(app: FastAPI, root: str) -> str:
    """What FastAPI's page runs inline, as a file. No OAuth2 redirect page: sign-in is the
    password flow, which never leaves the page."""
    options = {
        **swagger_ui_default_parameters,
        **(app.swagger_ui_parameters or {}),
        "url": root + (app.openapi_url or ""),
    }
    script = (
        f"const ui = SwaggerUIBundle({{...{json.dumps(jsonable_encoder(options))}, presets: "
        "[SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]});\n"
    )
    if app.swagger_ui_init_oauth:
        script += f"ui.initOAuth({json.dumps(jsonable_encoder(app.swagger_ui_init_oauth))});\n"
    return script


def install(app: FastAPI) -> None:
    """The pages and their files; the app is made with `docs_url=None, redoc_url=None`."""

    async def swagger_ui(request: Request) -> Response:
        page = SWAGGER_PAGE.format(
            title=html.escape(f"{app.title} - Swagger UI"),
            root=html.escape(_root(request)),
            files=SWAGGER_FILES,
            favicon=FAVICON,
            init=INIT,
        )
        return HTMLResponse(page, headers={"Content-Security-Policy": SWAGGER_POLICY})

    async def swagger_ui_init(request: Request) -> Response:
        return Response(_init_script(app, _root(request)), media_type="text/javascript")

    async def redoc(request: Request) -> Response:
        root = _root(request)
        page = get_redoc_html(
            openapi_url=root + (app.openapi_url or ""),
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{REDOC_FILES}/redoc.standalone.js",
            redoc_favicon_url=root + FAVICON,
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = REDOC_POLICY
        return page

    # Exact paths before the folders that share their prefix.
    app.add_route(DOCS, swagger_ui, include_in_schema=False)
    app.add_route(INIT, swagger_ui_init, include_in_schema=False)
    app.add_route(REDOC, redoc, include_in_schema=False)
    files: list[tuple[str, str]] = [
        (FAVICON.rsplit("/", 1)[0], "static/fastapi"),
        (SWAGGER_FILES, "static/swagger"),
        (REDOC_FILES, "static/redoc"),
    ]
    for path, folder in files:
        app.mount(path, StaticFiles(packages=[(PACKAGE, folder)]))
