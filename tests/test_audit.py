"""scripts/audit.py: what it counts as shipped, and which reports fail the build."""

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit.py"


@pytest.fixture
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reports(pip: dict[str, Any], npm: dict[str, Any]) -> Any:
    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        report = npm if command[0] == "npm" else pip
        return subprocess.CompletedProcess(command, 0, json.dumps(report), "")

    return run


CLEAN_PIP = {"dependencies": [{"name": "fastapi", "version": "1.0", "vulns": []}]}
CLEAN_NPM: dict[str, Any] = {"vulnerabilities": {}}
UNREACHABLE_NPM = {"statusCode": 405, "error": {"summary": ""}}
VULNERABLE_PIP = {
    "dependencies": [
        {"name": "jinja2", "version": "2.10", "vulns": [{"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"]}]}
    ]
}
VULNERABLE_NPM = {
    "vulnerabilities": {
        "sigma": {"severity": "high", "via": [{"url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc"}]}
    }
}


def test_shipped_is_the_runtime_closure_without_dev_tools(audit: ModuleType) -> None:
    shipped = audit.shipped()
    assert {"fastapi", "uvicorn", "sqlmodel", "starlette", "psycopg"} <= shipped.keys()
    assert not {"pytest", "ruff", "mypy", "schemathesis", "pip-audit"} & shipped.keys()


@pytest.mark.parametrize(
    ("pip", "npm", "strict", "code"),
    [
        (CLEAN_PIP, CLEAN_NPM, True, 0),
        (VULNERABLE_PIP, CLEAN_NPM, False, 1),
        (CLEAN_PIP, VULNERABLE_NPM, False, 1),
        (CLEAN_PIP, UNREACHABLE_NPM, False, 0),
        (CLEAN_PIP, UNREACHABLE_NPM, True, 2),
        ({"dependencies": [{"name": "x", "skip_reason": "not found"}]}, CLEAN_NPM, True, 2),
    ],
)
def test_exit_code(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, pip: Any, npm: Any, strict: bool, code: int
) -> None:
    monkeypatch.setattr(audit.subprocess, "run", reports(pip, npm))
    monkeypatch.setattr(audit.sys, "argv", ["audit.py", *(["--strict"] if strict else [])])
    assert audit.main() == code


def test_an_exception_with_its_reason_is_not_a_failure(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit.subprocess, "run", reports(CLEAN_PIP, VULNERABLE_NPM))
    monkeypatch.setattr(
        audit, "exceptions", lambda: {"GHSA-aaaa-bbbb-cccc": "only reachable from the editor"}
    )
    assert audit.main() == 0
    assert "GHSA-aaaa-bbbb-cccc: only reachable from the editor" in capsys.readouterr().out
