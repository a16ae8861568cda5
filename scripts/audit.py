#!/usr/bin/env python3
"""Audit what is shipped for known vulnerabilities: the API's Python distributions (pip-audit)
and the web app's runtime packages (npm audit --omit=dev). Development tools are not shipped.

    scripts/audit.py            # exit 1 on a known vulnerability; says loudly what it could not audit
    scripts/audit.py --strict   # also exit 2 when an advisory service could not be reached

Exceptions, each with its reason: [tool.roadmap.audit.exceptions] in pyproject.toml, by
advisory id (PYSEC-…, GHSA-…, CVE-…).
"""

import json
import subprocess
import sys
import tempfile
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "roadmap-tracker"


def exceptions() -> dict[str, str]:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    return tool.get("roadmap", {}).get("audit", {}).get("exceptions", {})


def shipped() -> dict[str, str]:
    """The project's installed runtime requirements, transitively, without its dev extra."""
    found: dict[str, str] = {}
    wanted = [(Requirement(r), set[str]()) for r in metadata.requires(PROJECT) or []]
    while wanted:
        req, extras = wanted.pop()
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in extras or {""}):
            continue
        name = req.name.lower()
        dist = metadata.distribution(name)
        if name in found and not req.extras:
            continue
        found[name] = dist.version
        wanted += [(Requirement(r), set(req.extras)) for r in dist.requires or []]
    return found


def python(ignored: dict[str, str]) -> tuple[list[str], list[str]]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as pins:
        pins.write("".join(f"{n}=={v}\n" for n, v in sorted(shipped().items())))
        pins.flush()
        ignore = [a for vuln in ignored for a in ("--ignore-vuln", vuln)]
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip_audit",
                "-r",
                pins.name,
                "--no-deps",
                "--disable-pip",
                "--format",
                "json",
                "--progress-spinner",
                "off",
                *ignore,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return [], [f"pip-audit did not run: {run.stderr.strip()[-300:]}"]
    found = [
        f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v['fix_versions']) or 'no release'})"
        for d in report["dependencies"]
        for v in d.get("vulns", [])
    ]
    skipped = [f"{d['name']}: {d['skip_reason']}" for d in report["dependencies"] if "skip_reason" in d]
    return found, skipped


def node(ignored: dict[str, str]) -> tuple[list[str], list[str]]:
    command = ["npm", "audit", "--omit=dev", "--json"]
    run = subprocess.run(command, cwd=ROOT / "frontend", capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return [], [f"npm audit did not run: {run.stderr.strip()[-300:]}"]
    if "error" in report:
        return [], [f"npm audit: the registry's advisory service answered {report.get('statusCode', '?')}"]
    found = []
    for name, entry in report.get("vulnerabilities", {}).items():
        advisories = [v for v in entry["via"] if isinstance(v, dict)]
        ids = [str(v.get("url", "")).rsplit("/", 1)[-1] for v in advisories]
        if advisories and all(i in ignored for i in ids):
            continue
        through = ", ".join(ids) or "through " + ", ".join(map(str, entry["via"]))
        found.append(f"{name}: {entry['severity']} ({through})")
    return found, []


def main() -> int:
    strict = "--strict" in sys.argv
    ignored = exceptions()
    for vuln, reason in ignored.items():
        print(f"exception {vuln}: {reason}")
    found: list[str] = []
    unaudited: list[str] = []
    for label, audit in (("Python (pip-audit)", python), ("web app (npm audit --omit=dev)", node)):
        known, skipped = audit(ignored)
        found += known
        unaudited += skipped
        print(f"{label}: {len(known)} known vulnerabilities, {len(skipped)} not audited")
    for line in found:
        print(f"VULNERABLE {line}")
    if unaudited:
        print(f"NOT AUDITED ({len(unaudited)}): no advisory service could be reached, or none knew them:")
        for line in unaudited[:10]:
            print(f"  {line}")
        if len(unaudited) > 10:
            print(f"  … and {len(unaudited) - 10} more")
    if found:
        return 1
    return 2 if unaudited and strict else 0


if __name__ == "__main__":
    sys.exit(main())
