"""The staff session API and the audit log against docs/openapi.json, on the real server
of this suite (see conftest.py): sign-in, the session, sign-out with its CSRF token, and the
audit log for admins only.
"""

from __future__ import annotations


import pytest


SESSION = "/api/v1/session"
AUDIT = "/api/v1/audit"
PASSWORD = "contract test password"


@pytest.fixture(scope="module")
def accounts(server):
    """A department head and an admin, added with `pingjia user add` (password on stdin)."""
    for name, role, extra in (("head", "head", ["--department", "SCJG"]), ("boss", "admin", [])):
        server.add_user(name, role, PASSWORD, *extra)
    return ("head", "boss")


def sign_in(client, username: str, password: str = PASSWORD, headers: dict[str, str] | None = None):
    return client.post_json(SESSION, {"username": username, "password": password}, headers=headers)


def cookie_of(reply) -> str:
    return reply.headers["Set-Cookie"].split(";")[0]


def test_sign_in_returns_the_documented_session(client, contract, accounts):
    reply = sign_in(client, "head")
    body = contract.check(reply, SESSION, "post", 200)
    assert body["user"] == {"username": "head", "role": "head", "departments": ["SCJG"], "all_departments": False}
    attributes = [part.strip() for part in reply.headers["Set-Cookie"].split(";")]
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= set(attributes)
    me = client.get(SESSION, headers={"Cookie": cookie_of(reply)})
    assert contract.check(me, SESSION, "get", 200)["user"]["username"] == "head"


def test_refused_sign_ins_get_their_documented_errors(client, contract, accounts):
    wrong = contract.check(sign_in(client, "head", "not the password"), SESSION, "post", 401)
    unknown = contract.check(sign_in(client, "nobody", "not the password"), SESSION, "post", 401)
    assert wrong == unknown
    contract.check(client.post_json(SESSION, {"username": "head"}), SESSION, "post", 400)
    contract.check(client.request("POST", SESSION, "username=head", {"Content-Type": "application/x-www-form-urlencoded"}),
                   SESSION, "post", 415)
    contract.check(sign_in(client, "head", headers={"Origin": "https://elsewhere.example"}), SESSION, "post", 403)


def test_sign_out_needs_the_csrf_token(client, contract, accounts):
    reply = sign_in(client, "head")
    cookie, token = cookie_of(reply), reply.json()["csrf_token"]
    contract.check(client.request("DELETE", SESSION, headers={"Cookie": cookie}), SESSION, "delete", 403)
    assert client.get(SESSION, headers={"Cookie": cookie}).status == 200
    out = client.request("DELETE", SESSION, headers={"Cookie": cookie, "X-CSRF-Token": token})
    assert out.status == 204
    assert "Max-Age=0" in out.headers["Set-Cookie"]
    contract.check(client.get(SESSION, headers={"Cookie": cookie}), SESSION, "get", 401)


def test_the_audit_log_is_for_admins(client, contract, accounts):
    contract.check(client.get(AUDIT), AUDIT, "get", 401)
    head = cookie_of(sign_in(client, "head"))
    contract.check(client.get(AUDIT, headers={"Cookie": head}), AUDIT, "get", 403)
    boss = cookie_of(sign_in(client, "boss"))
    page = contract.check(client.get(AUDIT + "?limit=2", headers={"Cookie": boss}), AUDIT, "get", 200)
    assert len(page["entries"]) == 2 and page["next_before"] == page["entries"][-1]["id"]
    assert page["entries"][0]["action"] == "session.start" and page["entries"][0]["actor"] == "boss"
    older = contract.check(client.get(f"{AUDIT}?limit=1000&before={page['next_before']}", headers={"Cookie": boss}), AUDIT, "get", 200)
    assert {"user.create"} <= {entry["action"] for entry in older["entries"]}
    contract.check(client.get(AUDIT + "?limit=0", headers={"Cookie": boss}), AUDIT, "get", 400)
