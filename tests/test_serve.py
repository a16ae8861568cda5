"""scripts/serve, which `make run` and the e2e suite start the app with: the API lets the app in."""

import json
import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "serve"


def planned(**env: str) -> dict[str, str]:
    """What scripts/serve would give the API and the app, for these settings."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CORS_ORIGINS", "ALLOWED_HOSTS", "HOST", "API_PORT", "WEB_PORT"}
    }
    out = subprocess.run(
        [SCRIPT, "--config"], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return dict(line.split("=", 1) for line in out.stdout.splitlines())


def test_the_api_allows_the_app_on_the_ports_given() -> None:
    plan = planned(API_PORT="8411", WEB_PORT="5411")
    assert json.loads(plan["CORS_ORIGINS"]) == ["http://127.0.0.1:5411", "http://localhost:5411"]
    assert json.loads(plan["ALLOWED_HOSTS"]) == ["127.0.0.1", "localhost"]
    assert plan["CONFIG_JS"] == 'window.ROADMAP_CONFIG = { apiBase: "http://127.0.0.1:8411" };'


@pytest.mark.parametrize(
    ("host", "origin", "base"),
    [
        ("192.0.2.7", "http://192.0.2.7:5173", "http://192.0.2.7:8000"),
        ("::1", "http://[::1]:5173", "http://[::1]:8000"),
    ],
)
def test_a_named_interface_is_the_one_origin(host: str, origin: str, base: str) -> None:
    plan = planned(HOST=host)
    assert json.loads(plan["CORS_ORIGINS"]) == [origin]
    assert json.loads(plan["ALLOWED_HOSTS"]) == [host]
    assert f'apiBase: "{base}"' in plan["CONFIG_JS"]


def test_every_interface_lets_in_the_names_of_this_machine_and_finds_the_api_beside_the_page() -> None:
    plan = planned(HOST="0.0.0.0", API_PORT="8411", WEB_PORT="5411")
    origins = json.loads(plan["CORS_ORIGINS"])
    assert {"http://127.0.0.1:5411", "http://localhost:5411", f"http://{os.uname().nodename}:5411"} <= set(
        origins
    )
    assert os.uname().nodename in json.loads(plan["ALLOWED_HOSTS"])
    assert 'location.protocol + "//" + location.hostname + ":8411"' in plan["CONFIG_JS"]


def test_settings_given_are_kept() -> None:
    plan = planned(CORS_ORIGINS='["https://roadmap.example"]', ALLOWED_HOSTS='["api.roadmap.example"]')
    assert plan["CORS_ORIGINS"] == '["https://roadmap.example"]'
    assert plan["ALLOWED_HOSTS"] == '["api.roadmap.example"]'
