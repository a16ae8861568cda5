"""/api/v1/imports: a file in, a 202 and a record to follow, the work done in the background."""

from fastapi.testclient import TestClient

from api.config import Settings
from api.imports import runner
from api.main import create_app
from tests import factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/imports"
ORGS = "name,kind,area_ids\nAcme Digital,business,E08000026\nBeta Data,business,Coventry\n"


def _send(client: TestClient, text: str, **params: str) -> dict:
    response = client.post(URL, params=params, files={"file": ("orgs.csv", text.encode(), "text/csv")})
    assert response.status_code == 202, response.text
    assert response.headers["location"].endswith(f"/imports/{response.json()['id']}")
    runner.drain()
    done = client.get(response.headers["location"])
    assert done.status_code == 200, done.text
    return done.json()


def test_an_editor_imports_a_file_after_a_dry_run(client_as, client):
    factories.area(client, code="E08000026", name="Coventry")
    editor = client_as("editor")
    checked = _send(editor, ORGS, kind="stakeholders", dry_run="true")
    assert (checked["status"], checked["dry_run"], checked["counts"]["created"]) == ("succeeded", True, 2)
    assert editor.get(f"{API}/stakeholders", params={"q": "Acme"}).json()["items"] == []
    done = _send(editor, ORGS, kind="stakeholders")
    assert (done["status"], done["counts"]["created"], done["filename"]) == ("succeeded", 2, "orgs.csv")
    assert [s["name"] for s in editor.get(f"{API}/stakeholders", params={"q": "Acme"}).json()["items"]] == [
        "Acme Digital"
    ]
    listed = editor.get(URL).json()["items"]
    assert [i["id"] for i in listed][:2] == [done["id"], checked["id"]]  # newest first


def test_a_bad_row_is_reported_by_row_column_and_value(client):
    done = _send(client, "name,kind\nAcme,spaceship\n", kind="stakeholders")
    assert done["status"] == "failed"
    assert [(p["row"], p["column"], p["value"]) for p in done["problems"]] == [(2, "kind", "spaceship")]


def test_who_may_import(client_as, anon, client):
    files = {"file": ("orgs.csv", ORGS.encode(), "text/csv")}
    problem(anon.post(URL, params={"kind": "stakeholders"}, files=files), 401)
    problem(client_as("reader").post(URL, params={"kind": "stakeholders"}, files=files), 403)
    mine = _send(client, ORGS, kind="stakeholders", dry_run="true")
    partner = client_as("partner", factories.stakeholder(client)["id"])
    problem(partner.get(f"{URL}/{mine['id']}"), 403)
    assert partner.get(URL).json()["items"] == []


def test_a_partner_imports_only_what_it_owns(client_as, client):
    org = factories.stakeholder(client)
    partner = client_as("partner", org["id"])
    done = _send(partner, "name,kind\nSomeone Else,business\n", kind="stakeholders")
    assert (
        done["status"] == "failed"
        and "partner may change its own organisation" in done["problems"][0]["problem"]
    )


def test_refused_requests_are_problems(client):
    problem(client.post(URL, params={"kind": "stakeholders"}), 422)  # no file
    files = {"file": ("x.csv", b"name\n", "text/csv")}
    problem(client.post(URL, params={"kind": "nonsense"}, files=files), 422, "query.kind")
    problem(client.get(f"{URL}/no-such-import"), 404)


def test_a_file_over_the_limit_is_refused_whether_announced_or_streamed(engine, database_url):
    app = create_app(Settings(database_url=database_url, max_import_bytes=1000), engine=engine)
    big = b"name,kind\n" + b"Acme,business\n" * 200
    with TestClient(app) as c:
        announced = c.post(URL, params={"kind": "stakeholders"}, files={"file": ("f.csv", big, "text/csv")})
        problem(announced, 413)
        boundary = "b0undary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\n'.encode()
            + big
            + f"\r\n--{boundary}--\r\n".encode()
        )
        chunks = (body[i : i + 256] for i in range(0, len(body), 256))
        headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
        problem(c.post(URL, params={"kind": "stakeholders"}, content=chunks, headers=headers), 413)
