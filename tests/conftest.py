"""Shared fixtures and paths: the spec (raw, and as tools/spec_model.py reads it), the vendor's
samples under tests/samples/ and the operation each one answers."""

from __future__ import annotations

import copy
import functools
import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import yaml

import spec_model
from ocp_client import Client
from tests.local_server import TLS, ScriptedServer, scripted_server

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "ocp.yaml"
SAMPLES = Path(__file__).resolve().parent / "samples"
REFERENCE_SAMPLE = SAMPLES / "list-data-backup-tasks.page-sample.json"


@functools.cache
def spec_model_of(path: Path = SPEC_PATH) -> spec_model.Spec:
    """The spec as tools/spec_model.py reads it (cached: treat it as read-only)."""
    return spec_model.load(path)


def sample_operation_id(sample: Path) -> str:
    """The operationId a sample answers, from its file name: `<operationId in kebab-case>.<what
    it is>.json` (`list-data-backup-tasks.page-sample.json` answers `listDataBackupTasks`)."""
    words = sample.name.split(".", 1)[0].split("-")
    return words[0] + "".join(word[:1].upper() + word[1:] for word in words[1:])


def sample_files() -> list[Path]:
    """Every vendor sample response under tests/samples/, by name: JSON, or ``.txt`` for a
    text/plain answer."""
    return sorted([*SAMPLES.glob("*.json"), *SAMPLES.glob("*.txt")])


def load_sample(sample: Path) -> Any:
    """A sample's value: its JSON, or the text of a ``.txt`` sample without the file's final
    line end."""
    text = sample.read_text(encoding="utf-8")
    if sample.suffix == ".txt":
        return text.removesuffix("\n")
    return json.loads(text)


def answer_response(op: spec_model.Operation, answer: Any, status: int = 200) -> httpx.Response:
    """A real httpx response that carries ``answer`` as the operation's answers come: JSON, or
    text for a text/plain answer, with the Content-Type OCP writes."""
    request = httpx.Request(op.method, f"http://ocp.invalid{op.path}")
    if op.result.framing == "text" and 200 <= status < 300:
        return httpx.Response(
            status,
            content=str(answer).encode(),
            headers={"Content-Type": "text/plain;charset=UTF-8"},
            request=request,
        )
    return httpx.Response(status, json=answer, request=request)


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = spec_model.load_document(SPEC_PATH)
    return document


@pytest.fixture
def reference_sample() -> dict[str, Any]:
    """The reference page's sample response, verbatim (a fresh copy for each test)."""
    sample: dict[str, Any] = load_sample(REFERENCE_SAMPLE)
    return sample


# --- a probe of the runtime: every kind of value the spec may use -------------------------------
# The project's spec uses only some of the constructs that tools/spec_model.py and the runtime
# support. The probe adds schemas and operations with the others, over the project's own
# document, for the tests that walk every model and operation: numbers, dates, maps, closed
# string and integer enums, inline enums and objects, nested arrays, recursion, refused unnamed
# properties; and an answer of every framing and shape (PROBE_SHAPES), so that the contract
# tests cover them whatever the project's spec holds. It takes from that spec only OCP's
# envelope and page (ResponseEnvelope, Page), which spec_model reads by their names.

PROBE_PACKAGE = "ocp_probe"
_REF = "#/components/schemas/"


def _answer(data: Any) -> dict[str, Any]:
    """A 200 response: OCP's envelope with ``data`` of this schema (None: without data)."""
    own: dict[str, Any] = {"type": "object", "properties": {}}
    if data is not None:
        own = {"type": "object", "required": ["data"], "properties": {"data": data}}
    schema = {"allOf": [{"$ref": f"{_REF}ResponseEnvelope"}, own]}
    return {"description": "The probe.", "content": {"application/json": {"schema": schema}}}


def _bare(schema: Any) -> dict[str, Any]:
    """A 200 response whose JSON body is the data itself (no envelope)."""
    content = {"application/json": {"schema": schema}}
    return {"description": "The probe.", "x-ocp-envelope": False, "content": content}


def _text(schema: Any) -> dict[str, Any]:
    """A 200 response whose text/plain body is the data."""
    return {"description": "The probe.", "content": {"text/plain": {"schema": schema}}}


def _get(op_id: str, summary: str, answer: dict[str, Any]) -> dict[str, Any]:
    """A path with one GET operation of the probe, without parameters."""
    operation = {"operationId": op_id, "tags": ["probe"], "summary": summary}
    return {"get": {**operation, "responses": {"200": answer}}}


PROBE_SCHEMAS: dict[str, Any] = {
    "ProbeColor": {"type": "string", "description": "A closed set.", "enum": ["RED", "GREEN"]},
    "ProbeLevel": {"type": "integer", "description": "Integer values.", "enum": [1, 2, 3]},
    "Probe": {
        "type": "object",
        "description": "Every kind of value.",
        "additionalProperties": False,
        "required": ["count", "color", "labels", "matrix"],
        "properties": {
            "count": {"type": "integer", "minimum": -5, "maximum": 5, "description": "Small."},
            "big": {"type": "integer", "description": "Unbounded."},
            "inside": {
                "type": "integer",
                "format": "int32",
                "minimum": 0,
                "exclusiveMinimum": True,
                "maximum": 10,
                "exclusiveMaximum": True,
                "description": "Exclusive bounds.",
            },
            "ratio": {"type": "number", "minimum": 0, "maximum": 1, "description": "A share."},
            "code": {"type": "string", "minLength": 2, "maxLength": 4, "description": "Short."},
            "note": {"type": "string", "minLength": 1, "description": "Not empty."},
            "tag": {
                "type": "string",
                "pattern": "^[a-z][a-z0-9-]*$",
                "description": "A slug.",
                "x-ocp-decision": "Why a probe's slug is lower case: for the spec's readers only.",
            },
            "free": {"type": "number", "description": "Any number."},
            "day": {"type": "string", "format": "date", "description": "A day."},
            "at": {"type": "string", "format": "date-time", "description": "A time."},
            "color": {"$ref": f"{_REF}ProbeColor"},
            "openColor": {
                "description": "An open set.",
                "anyOf": [{"$ref": f"{_REF}ProbeColor"}, {"type": "string"}],
            },
            "level": {"$ref": f"{_REF}ProbeLevel"},
            "shape": {"type": "string", "enum": ["round", "square"], "description": "Inline."},
            "flag": {"type": "boolean", "description": "A flag."},
            "times": {
                "type": "array",
                "items": {"type": "string", "format": "date-time"},
                "description": "Times.",
            },
            "colors": {"type": "array", "items": {"$ref": f"{_REF}ProbeColor"}},
            "matrix": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "integer", "format": "int32"}},
                "description": "Nested arrays.",
            },
            "labels": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 0},
                "description": "A map.",
            },
            "anything": {"description": "Any JSON value."},
            "child": {"$ref": f"{_REF}Probe"},
            "children": {"type": "array", "items": {"$ref": f"{_REF}Probe"}},
            "point": {
                "type": "object",
                "description": "An inline object.",
                "required": ["x"],
                "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
            },
            "notes": {"type": "object", "additionalProperties": {"$ref": f"{_REF}ProbeNote"}},
        },
    },
    "ProbeNote": {
        "type": "object",
        "description": "All optional, unnamed properties kept.",
        "properties": {"text": {"type": "string"}, "when": {"type": "string", "format": "date"}},
    },
}
_PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "required": True,
        "description": "The page, 1-based.",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "default": 1},
    },
    {
        "name": "size",
        "in": "query",
        "required": True,
        "description": "Probes a page (a maximum of its own).",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 50, "default": 5},
    },
]
PROBE_PATHS: dict[str, Any] = {
    "/probes": {
        "get": {
            "operationId": "listProbes",
            "tags": ["probe"],
            "summary": "List the probes",
            "parameters": _PAGE_PARAMETERS,
            "responses": {
                "200": _answer(
                    {
                        "allOf": [
                            {"$ref": f"{_REF}Page"},
                            {
                                "type": "object",
                                "properties": {
                                    "contents": {"type": "array", "items": {"$ref": f"{_REF}Probe"}}
                                },
                            },
                        ]
                    }
                )
            },
        },
        "post": {
            "operationId": "createProbe",
            "tags": ["probe"],
            "summary": "Create a probe",
            "description": "A body in, an object out.",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"{_REF}Probe"}}},
            },
            "responses": {"200": _answer({"$ref": f"{_REF}Probe"})},
        },
    },
    "/probes/{id}": {
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ],
        "delete": {
            "operationId": "deleteProbe",
            "tags": ["probe"],
            "summary": "Delete a probe",
            "responses": {"200": _answer(None)},
        },
        "get": {
            "operationId": "listProbeDays",
            "tags": ["probe"],
            "summary": "The days of a probe",
            "parameters": [
                {
                    "name": "colors",
                    "in": "query",
                    "description": "Some colors.",
                    "x-ocp-decision": "Why a probe takes colors: for the spec's readers only.",
                    "schema": {"type": "array", "items": {"$ref": f"{_REF}ProbeColor"}},
                }
            ],
            "responses": {
                "200": _answer({"type": "array", "items": {"type": "string", "format": "date"}})
            },
        },
    },
    "/probe-count": _get(
        "countProbes", "Count the probes", _answer({"type": "integer", "minimum": 0})
    ),
    "/probe-info": _get("getProbeInfo", "A bare object", _bare({"$ref": f"{_REF}ProbeNote"})),
    "/probe-colors": _get(
        "listProbeColors",
        "A bare list",
        _bare({"type": "array", "items": {"$ref": f"{_REF}ProbeColor"}}),
    ),
    "/probe-level": _get("getProbeLevel", "A bare scalar", _bare({"$ref": f"{_REF}ProbeLevel"})),
    "/probe-name": _get(
        "getProbeName", "A text", _text({"type": "string", "description": "Any text."})
    ),
    "/probe-time": _get(
        "getProbeTime",
        "A text time",
        _text({"type": "string", "format": "date-time", "description": "A time."}),
    ),
}
# Every (framing, shape) an answer may have (tools/spec_model.py's Result): a page is always in
# an envelope, a text answer is a string, a bare answer has a body.
PROBE_SHAPES = frozenset(
    {("envelope", shape) for shape in ("page", "object", "list", "scalar", "none")}
    | {("json", shape) for shape in ("object", "list", "scalar")}
    | {("text", "scalar")}
)


@functools.cache
def probe_document() -> dict[str, Any]:
    """The project's spec with the probe's schemas and operations added."""
    document: dict[str, Any] = spec_model.load_document(SPEC_PATH)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    taken = (set(schemas) & set(PROBE_SCHEMAS)) | (set(document["paths"]) & set(PROBE_PATHS))
    assert not taken, f"the project's spec has the probe's {sorted(taken)}: rename the probe's"
    schemas.update(copy.deepcopy(PROBE_SCHEMAS))
    document["paths"].update(copy.deepcopy(PROBE_PATHS))
    document.setdefault("tags", []).append({"name": "probe", "description": "The probe."})
    return document


@functools.cache
def probe_spec() -> spec_model.Spec:
    return spec_model.Spec(probe_document())


def probe_models() -> list[str]:
    """The models only the probe has."""
    return sorted(set(probe_spec().models) - set(spec_model_of().models))


def probe_enums() -> list[str]:
    """The enums only the probe has."""
    return sorted(set(probe_spec().enums) - set(spec_model_of().enums))


def probe_operations() -> list[str]:
    """The operations only the probe has (its tag's)."""
    return sorted(op.id for op in probe_spec().operations if op.tag == "probe")


@pytest.fixture(scope="session")
def probe_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The probe spec generated by tools/generate.py into a scratch package (the hand-written
    runtime copied beside it, as the generator's --output asks); its import name."""
    root = tmp_path_factory.mktemp("probe")
    package = root / PROBE_PACKAGE
    package.mkdir()
    for runtime in (
        *(ROOT / "generated" / "ocp_client").glob("*.py"),
        ROOT / "generated" / "ocp_client" / "py.typed",
    ):
        shutil.copy(runtime, package / runtime.name)
    source = root / "probe.yaml"
    source.write_text(yaml.safe_dump(probe_document()), encoding="utf-8")
    command = [sys.executable, str(ROOT / "tools" / "generate.py"), "--spec", str(source)]
    done = subprocess.run(
        [*command, "--output", str(package)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(root))
    try:
        importlib.import_module(PROBE_PACKAGE)
        yield PROBE_PACKAGE
    finally:
        sys.path.remove(str(root))


RULE_CASES = 6


def spread(cases: Sequence[T], at_most: int = RULE_CASES) -> list[T]:
    """At most ``at_most`` of ``cases``, spread evenly over them (the first and last included).

    For tests of one rule of a tool over the spec's operations or schemas (the breaking-change
    guard, the stand-in's behaviours): the rule's code is shared by every case, and each case
    costs time that grows with the spec, so taking them all would grow the suite with the
    square of the spec. The contract tests take every case."""
    if len(cases) <= at_most:
        return list(cases)
    step = (len(cases) - 1) / (at_most - 1)
    return [cases[round(index * step)] for index in range(at_most)]


# --- a scripted local server and a client of it --------------------------------------------------
# For the test modules of the call path (test_calls, test_arguments, test_strict_json); a module
# that needs another server or client defines its own fixture of the same name.


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as running:
        yield running


@pytest.fixture
def client(server: ScriptedServer) -> Iterator[Client]:
    """A client without retries: each scripted answer reaches the caller as it is."""
    with Client(server.url, verify=TLS, timeout=5, max_retries=0) as c:
        yield c
