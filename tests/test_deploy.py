"""compose.yaml and the web server's config (deploy/): the config rendered as the nginx image
renders it at start, checked by nginx itself (`nginx -t`), then served: the static app with its
CSP and config.js, the API's routes proxied to a `roadmap serve`, /metrics kept off.

Needs Debian's nginx (`make nginx`); skipped without it.
"""

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from api.config import Settings
from tests.servers import free_port, serving, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "nginx" / "default.conf.template"
CHECK_ENV = DEPLOY / "nginx" / "15-roadmap-check-env.sh"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="no nginx (make nginx: apt-get install nginx)")
API_ORIGIN = "https://api.example.org"
# What the nginx image's environment holds besides ours: none may touch nginx's own $variables.
IMAGE_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/root", "HOSTNAME": "web", "NGINX_VERSION": "1.28.0"}


def render(env: dict[str, str]) -> str:
    """The template as /docker-entrypoint.d/20-envsubst-on-templates.sh renders it: every
    variable defined in the environment is replaced, nothing else."""
    names = " ".join(f"${{{name}}}" for name in env)
    done = subprocess.run(
        ["envsubst", names], input=TEMPLATE.read_text(), env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def setup(folder: Path, env: dict[str, str]) -> Path:
    """The rendered config under an nginx.conf of its own in `folder`, as a user may run it."""
    (folder / "default.conf").write_text(render({**IMAGE_ENV, **env}))
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(exist_ok=True)
    # As root (a CI container), workers would run as nobody, who cannot enter pytest's private folders.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/default.conf;
}}
""")
    return conf


def nginx(conf: Path, *args: str) -> list[str]:
    assert NGINX is not None
    return [NGINX, "-p", str(conf.parent), "-c", str(conf), "-e", str(conf.parent / "error.log"), *args]


def settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The API's settings as a compose service's environment makes them (${VAR:-default} unset)."""
    for name, value in env.items():
        monkeypatch.setenv(name, re.sub(r"\$\{[A-Z_]+:[-?]([^}]*)\}", r"\1", value))
    return Settings()


# compose.yaml


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def test_compose_runs_postgres_two_api_replicas_migrated_once_and_the_web_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "api-1", "api-2", "web"}
    db = services["db"]
    assert db["image"].startswith("postgres:16") and "healthcheck" in db
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert services["migrate"]["command"] == ["roadmap", "migrate"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("api-1", "api-2"):
        api = services[name]
        assert api["build"] == "." and "serve" in api["command"] and "migrate" not in api["command"]
        assert "/healthz" in " ".join(api["healthcheck"]["test"])
        assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "ports" not in api  # reached through nginx only
        env = api["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and "@db/" in env["DATABASE_URL"]
        parsed = settings(env, monkeypatch)
        assert parsed.cors_origins == ["http://localhost:8080"]
        # The image's healthcheck asks 127.0.0.1; the public name is what nginx passes on.
        assert {"localhost", "127.0.0.1"} <= set(parsed.allowed_hosts)
    web = services["web"]
    assert web["build"]["dockerfile"] == "deploy/web.Dockerfile"
    upstreams = web["environment"]["API_UPSTREAM_1"], web["environment"]["API_UPSTREAM_2"]
    assert upstreams == ("api-1:8000", "api-2:8000")
    assert all(web["depends_on"][n]["condition"] == "service_healthy" for n in ("api-1", "api-2"))
    assert web["ports"] == ["${WEB_PORT:-8080}:80"]


def test_the_web_image_installs_the_template_and_the_check_and_defaults_every_variable() -> None:
    dockerfile = (DEPLOY / "web.Dockerfile").read_text()
    assert "COPY deploy/nginx/default.conf.template /etc/nginx/templates/" in dockerfile
    assert "COPY deploy/nginx/15-roadmap-check-env.sh /docker-entrypoint.d/" in dockerfile
    used = set(re.findall(r"\$\{([A-Z_0-9]+)\}", TEMPLATE.read_text()))
    assert used == {"API_ORIGIN", "API_UPSTREAM_1", "API_UPSTREAM_2", "NGINX_PORT", "WEB_ROOT"}
    # Unset, a variable would stay ${NAME} in the config, which nginx refuses.
    assert all(re.search(rf"\b{name}=", dockerfile) for name in used)
    assert os.access(CHECK_ENV, os.X_OK)


def test_the_proxy_closes_idle_connections_before_the_api_and_takes_what_the_api_takes() -> None:
    template = TEMPLATE.read_text()
    proxy_idle = int(re.search(r"keepalive_timeout (\d+)s;", template)[1])  # type: ignore[index]
    api_env = compose()["services"]["api-1"]["environment"]
    assert proxy_idle < int(api_env["KEEP_ALIVE_SECONDS"]) == Settings().keep_alive_seconds
    sizes = [int(m) * 1024 * 1024 for m in re.findall(r"client_max_body_size (\d+)m;", template)]
    assert sizes == [Settings().max_body_bytes, Settings().max_import_bytes]


def check_env(origin: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "API_ORIGIN": origin}
    return subprocess.run(["sh", str(CHECK_ENV)], env=env, capture_output=True, text=True)


@pytest.mark.parametrize("origin", ["", "https://api.example.org", "http://10.0.0.5:8000"])
def test_an_origin_is_accepted_at_start(origin: str) -> None:
    assert check_env(origin).returncode == 0


@pytest.mark.parametrize(
    "origin",
    ["https://x.org/", "https://x.org/api", "javascript:alert(1)", 'https://x.org"; alert(1)//', "x.org"],
)
def test_anything_but_an_origin_stops_the_web_server_starting(origin: str) -> None:
    run = check_env(origin)
    assert run.returncode == 1 and "API_ORIGIN must be an origin" in run.stderr


# nginx -t


@needs_nginx
@pytest.mark.parametrize("origin", ["", API_ORIGIN])
def test_nginx_accepts_the_rendered_config(tmp_path: Path, origin: str) -> None:
    env = {
        "API_ORIGIN": origin,
        "API_UPSTREAM_1": "127.0.0.1:8001",
        "API_UPSTREAM_2": "127.0.0.1:8002",
        "NGINX_PORT": str(free_port()),
        "WEB_ROOT": str(tmp_path),
    }
    conf = setup(tmp_path, env)
    rendered = (tmp_path / "default.conf").read_text()
    assert "${" not in rendered and "$request_uri" in rendered and "$http_host" in rendered
    checked = subprocess.run(nginx(conf, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


# Served


@pytest.fixture
def api(scratch_database: str, tmp_path: Path) -> Iterator[str]:
    env = {"LOG_FORMAT": "json", "LOG_LEVEL": "WARNING"}
    with serving(scratch_database, tmp_path / "api.log", env) as server:
        yield f"127.0.0.1:{server.port}"


@pytest.fixture
def web(api: str, tmp_path: Path) -> Iterator[str]:
    assert NGINX is not None
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><script src="/config.js"></script><div id="app"></div>')
    (dist / "assets" / "index-Ab12Cd34.js").write_text("console.log('the app');\n" * 100)
    port = free_port()
    conf = setup(
        tmp_path,
        {
            "API_ORIGIN": API_ORIGIN,
            # Both upstream lines at the one API: the balancing is nginx's own.
            "API_UPSTREAM_1": api,
            "API_UPSTREAM_2": api,
            "NGINX_PORT": str(port),
            "WEB_ROOT": str(dist),
        },
    )
    process = subprocess.Popen(nginx(conf, "-g", "daemon off;"), stdout=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, tmp_path / "error.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@needs_nginx
def test_served_as_deployed(web: str, api: str) -> None:
    with httpx.Client(base_url=web, timeout=10) as client:
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<script src="/config.js">' in page.text
        csp = page.headers["content-security-policy"]
        assert f"connect-src 'self' {API_ORIGIN};" in csp and "default-src 'self';" in csp
        assert "script-src 'self';" in csp and "worker-src 'self' blob:;" in csp
        assert csp.endswith("frame-ancestors 'none'") and page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["cache-control"] == "no-cache"

        config = client.get("/config.js")
        assert config.status_code == 200
        assert config.headers["content-type"].startswith("application/javascript")
        assert config.text == f'window.ROADMAP_CONFIG = {{ apiBase: "{API_ORIGIN}" }};\n'
        assert config.headers["cache-control"] == "no-cache" and "content-security-policy" in config.headers

        # The app's own routes are index.html's; an embedded figure may be framed by any site.
        route = client.get("/stakeholders")
        assert route.status_code == 200 and route.text == page.text
        embed = client.get("/embed/metrics/m1?area=E08000027")
        assert embed.status_code == 200 and embed.text == page.text
        assert embed.headers["content-security-policy"].endswith("frame-ancestors *")
        assert "x-frame-options" not in embed.headers

        asset = client.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip"
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert client.get("/assets/index-gone.js").status_code == 404  # never index.html as a script

        missions = client.get("/api/v1/missions", headers={"X-Request-ID": "deploy-check-1"})
        assert missions.status_code == 200 and missions.headers["content-type"] == "application/json"
        assert missions.headers["x-request-id"] == "deploy-check-1"
        # The API's answer with the API's headers, not the app's.
        direct = httpx.get(f"http://{api}/api/v1/missions")
        for name in ("content-security-policy", "x-frame-options", "cache-control", "referrer-policy"):
            assert missions.headers.get_list(name) == direct.headers.get_list(name), name
        assert re.fullmatch(r"[0-9a-f]{32}", client.get("/api/v1/missions").headers["x-request-id"])
        for path in ("/healthz", "/readyz", "/openapi.json", "/docs", "/redoc"):
            assert client.get(path).status_code == 200, path
        assert client.get("/api/v1/nothing-here").headers["content-type"] == "application/problem+json"

        # Prometheus scrapes each replica; the public server does not serve /metrics.
        assert client.get("/metrics").status_code == 404
        assert httpx.get(f"http://{api}/metrics").status_code == 200

        too_large = client.post("/api/v1/missions", content=b"x" * (Settings().max_body_bytes + 1))
        assert too_large.status_code == 413
        assert too_large.headers["content-type"] == "application/problem+json"
        assert too_large.json()["status"] == 413


@needs_nginx
def test_api_down_is_a_problem_with_retry_after(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html>")
    port = free_port()
    closed = f"127.0.0.1:{free_port()}"  # nothing listens there
    conf = setup(
        tmp_path,
        {"API_ORIGIN": "", "API_UPSTREAM_1": closed, "API_UPSTREAM_2": closed}
        | {"NGINX_PORT": str(port), "WEB_ROOT": str(dist)},
    )
    process = subprocess.Popen(nginx(conf, "-g", "daemon off;"), stdout=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, tmp_path / "error.log")
        down = httpx.get(f"http://127.0.0.1:{port}/api/v1/missions")
        assert down.status_code == 503 and down.headers["retry-after"] == "5"
        assert down.headers["content-type"] == "application/problem+json" and down.json()["status"] == 503
        config = httpx.get(f"http://127.0.0.1:{port}/config.js").text
        assert config == 'window.ROADMAP_CONFIG = { apiBase: "" };\n'
    finally:
        stop(process)
