"""Fixtures for the contract tests of the public API against docs/openapi.json (see README.md here).

One `pingjia serve` per session, on a demo database with 120 days of ratings (so the current
and the previous quarter have data) in a temporary folder, with two API keys: one with the
scope indicators:read and one without it. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import copy
import http.client
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pingjia_process import REPO, WAIT, PingjiaProcess  # noqa: E402

DEMO_DAYS = 120

# Where the document lives for the JSON Schema registry; never fetched.
DOCUMENT_URI = "https://pingjia.invalid/openapi.json"


from api_http import OPENAPI_PATH, Client, Reply  # noqa: E402,F401


class PingjiaServer(PingjiaProcess):
    """`pingjia serve --port 0` on its own migrated demo database, with two API keys."""

    def __init__(self, workdir: Path):
        super().__init__(workdir, {
            "server": {"openapi_path": str(OPENAPI_PATH), "static_root": str(REPO / "Public")},
        })
        self.cli("migrate")
        self.cli("demo", "--days", str(DEMO_DAYS))
        self.indicators_key = self.create_key("assessment", "indicators:read")
        self.other_key = self.create_key("reviews", "reviews:read")
        # The feedback review: a reader of every department, a writer, and a reader
        # limited to one department (SCJG, windows W01–W03).
        self.feedback_key = self.create_key("office", "feedback:read")
        self.feedback_writer_key = self.create_key("hotline", "feedback:read", "feedback:write")
        self.scjg_key = self.create_key("scjg-office", "feedback:read", "feedback:write", departments=("SCJG",))

    def create_key(self, name: str, scope: str, *more_scopes: str, departments: tuple[str, ...] = ()) -> str:
        arguments = ["apikey", "create", "--name", name]
        for each in (scope, *more_scopes):
            arguments += ["--scope", each]
        for code in departments:
            arguments += ["--department", code]
        lines = self.cli(*arguments).strip().splitlines()
        assert lines, "pingjia apikey create printed nothing"
        key = lines[-1].strip()
        assert key and " " not in key, f"the last line of apikey create is not a key: {key!r}"
        return key

    def publish(self, period: str) -> str:
        """Publishes a period with the CLI; the content hash it printed."""
        output = self.cli("publish", period)
        match = re.search(r"sha256:([0-9a-f]{64})", output)
        assert match, f"pingjia publish printed no content hash: {output!r}"
        return match.group(1)

    def start(self) -> None:
        super().start()
        self.client = Client(self.port)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    server = PingjiaServer(tmp_path_factory.mktemp("pingjia-api"))
    server.start()
    yield server
    status = server.stop()
    assert status == 0, f"pingjia serve exited {status} after SIGTERM\nstderr:\n{server.stderr()}"


@pytest.fixture(scope="session")
def client(server) -> Client:
    return server.client


@pytest.fixture(scope="session")
def auth(server) -> dict[str, str]:
    """The headers of the assessment module's key (scope indicators:read)."""
    return {"Authorization": f"Bearer {server.indicators_key}"}


# MARK: The document


class Contract:
    """docs/openapi.json, and validation of live answers against what it documents.

    Validation is strict: every object schema that lists `properties` is checked as if it
    said `additionalProperties: false`, so a member the server sends but the document does
    not describe fails too. (The published document itself stays open to additions.)
    """

    def __init__(self, document: dict):
        self.document = document
        strict = self._strict(copy.deepcopy(document))
        resource = Resource.from_contents(strict, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(DOCUMENT_URI, resource)

    @staticmethod
    def _strict(document: dict) -> dict:
        def tighten(schema):
            if not isinstance(schema, dict):
                return
            if "properties" in schema and "additionalProperties" not in schema and "unevaluatedProperties" not in schema:
                schema["additionalProperties"] = False
            for value in schema.get("properties", {}).values():
                tighten(value)
            for key in ("items", "additionalProperties"):
                tighten(schema.get(key))
            for key in ("prefixItems", "anyOf", "oneOf"):
                for value in schema.get(key, []):
                    tighten(value)
            # allOf, if/then/else and not hold partial constraints: left as written.

        for schema in document["components"]["schemas"].values():
            tighten(schema)
        return document

    def resolve(self, node: dict) -> dict:
        """Follows a local `$ref` (to components) until a real object."""
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"]
            assert pointer.startswith("#/"), pointer
            node = self.document
            for part in pointer[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def operation(self, path: str, method: str) -> dict:
        return self.document["paths"][path][method.lower()]

    def response(self, path: str, method: str, status: int) -> dict:
        responses = self.operation(path, method)["responses"]
        assert str(status) in responses, f"{method} {path} does not document status {status}"
        return self.resolve(responses[str(status)])

    def validator(self, schema: dict) -> Draft202012Validator:
        return Draft202012Validator(
            self._anchored(schema),
            registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

    @staticmethod
    def _anchored(schema: dict) -> dict:
        # A `#/components/...` reference inside an inline schema must resolve in the document.
        text = json.dumps(schema).replace('"$ref": "#/', f'"$ref": "{DOCUMENT_URI}#/')
        return json.loads(text)

    def validate(self, instance, schema: dict, what: str = "") -> None:
        errors = sorted(self.validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"- at /{'/'.join(map(str, e.absolute_path))}: {e.message[:400]}" for e in errors[:15]]
            raise AssertionError(f"{what} does not match the document:\n" + "\n".join(lines))

    def validate_component(self, instance, name: str) -> None:
        self.validate(instance, {"$ref": f"#/components/schemas/{name}"}, name)

    def check(self, reply: Reply, path: str, method: str, status: int, media: str = "application/json"):
        """Asserts the status, the documented media type and required headers, validates the
        body against the schema documented for that operation and status; the parsed JSON
        (or the text, for other media)."""
        assert reply.status == status, f"{method} {path}: expected {status}, got {reply!r}"
        documented = self.response(path, method, status)
        content = documented.get("content", {})
        assert media in content, f"{method} {path} {status} does not document {media}"
        assert reply.media_type == media, f"{method} {path} {status}: Content-Type {reply.headers.get('Content-Type')!r}, not {media}: {reply!r}"
        # The document promises these on every answer (info.description).
        assert reply.headers.get("X-Content-Type-Options") == "nosniff", f"{method} {path} {status}: no nosniff"
        assert reply.headers.get("Cache-Control") == "no-store", f"{method} {path} {status}: not no-store"
        for name, header in documented.get("headers", {}).items():
            header = self.resolve(header)
            if header.get("required"):
                assert reply.headers.get(name), f"{method} {path} {status} lacks the documented header {name}"
        if media == "application/json":
            body = reply.json()
        else:
            body = reply.body.decode("utf-8")
        self.validate(body, content[media]["schema"], f"{method} {path} {status} ({media})")
        return body


@pytest.fixture(scope="session")
def document() -> dict:
    return json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def contract(document) -> Contract:
    return Contract(document)
