"""/docs and /redoc: every file they load comes from this service, under a Content-Security-Policy."""

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi.testclient import TestClient

CHROMIUM = shutil.which("chromium")
TYPES = {"js": "text/javascript", "css": "text/css", "png": "image/png", "svg": "image/svg+xml"}


class Page(HTMLParser):
    """The URLs a page loads, and the text of any script written into it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") or (found.get("href") if tag == "link" else None)
        if url:
            self.urls.append(url)
        self._in_script = tag == "script" and "src" not in found

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def policy(header: str) -> dict[str, set[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in directives}


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_a_docs_page_loads_only_files_this_service_serves(anon: TestClient, path: str) -> None:
    page = anon.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    loaded = Page(page.text)
    assert not loaded.inline_scripts
    assert any(url.endswith(".js") for url in loaded.urls)
    for url in loaded.urls:
        assert not urlsplit(url).netloc, f"{url} is on another host"
        asset = anon.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].startswith(TYPES[url.rsplit(".", 1)[1]]), url


def test_swagger_ui_runs_under_a_policy_that_allows_only_this_service(anon: TestClient) -> None:
    csp = policy(anon.get("/docs").headers["content-security-policy"])
    assert csp["default-src"] == {"'none'"}
    assert csp["script-src"] == csp["style-src"] == csp["connect-src"] == {"'self'"}
    assert csp["img-src"] == {"'self'", "data:"}
    assert csp["frame-ancestors"] == csp["base-uri"] == {"'none'"}


def test_swagger_ui_is_started_by_a_file_that_points_at_the_openapi_document(anon: TestClient) -> None:
    init = anon.get("/docs/init.js")
    assert '"url": "/openapi.json"' in init.text and "SwaggerUIBundle(" in init.text
    assert anon.get("/openapi.json").json()["info"]["title"] == "Roadmap Tracker API"


def test_redoc_runs_no_script_but_its_own(anon: TestClient) -> None:
    csp = policy(anon.get("/redoc").headers["content-security-policy"])
    assert csp["default-src"] == csp["frame-ancestors"] == {"'none'"}
    assert csp["script-src"] == csp["connect-src"] == {"'self'"}
    # Its styles are made at run time, and its search runs in a worker made from a blob.
    assert csp["style-src"] == {"'self'", "'unsafe-inline'"} and csp["worker-src"] == {"blob:"}


def test_a_missing_docs_file_is_a_problem(anon: TestClient) -> None:
    r = anon.get("/docs/swagger/nothing-here.js")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


@pytest.fixture(scope="module")
def served(shared_app: Any) -> Iterator[str]:
    """The app on a port of this machine, for a browser (the docs pages read no database)."""
    server = uvicorn.Server(uvicorn.Config(shared_app, port=0, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make chromium)")
@pytest.mark.parametrize(
    ("path", "element_id"),
    [("/docs", 'id="operations-{tag}-{op}"'), ("/redoc", 'id="tag/{tag}/operation/{op}"')],
)
def test_a_browser_shows_every_operation_and_the_policy_refuses_nothing(
    served: str, anon: TestClient, tmp_path: Path, path: str, element_id: str
) -> None:
    """Any request to another host, inline script or style the policy does not allow would be
    refused and reported on the console."""
    assert CHROMIUM is not None
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    quiet = ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    console = ["--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path}"]
    shown = subprocess.run(
        [*browser, *quiet, *console, "--virtual-time-budget=20000", "--dump-dom", served + path],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert [line for line in shown.stderr.splitlines() if ":CONSOLE" in line] == []
    document = anon.get("/openapi.json").json()
    operations = [op for item in document["paths"].values() for op in item.values() if "operationId" in op]
    missing = [
        op["operationId"]
        for op in operations
        if element_id.format(tag=op["tags"][0], op=op["operationId"]) not in shown.stdout
    ]
    assert operations and missing == []
