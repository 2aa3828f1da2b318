"""Contract check 4: requests <-> spec. Every request the SDK sends, for every operation of the
spec, goes to the stand-in, which validates it against the spec's operation (path, parameter
names, types, required ones, serialisation, the JSON body) and answers 400 naming the parameter
or field on any violation; the SDK turns that into an error, so any drift fails here.

The operations come from `spec_model`, the arguments from each operation's parameters (by their
Python names) and body model: the required ones filled with valid values and the optional ones
left out, all given, or drawn by hypothesis. Both auth schemes are used, so the AccessKey wire
rewrite of the query is checked too. Besides the project's spec (the committed `ocp_client`),
the same checks run on the stand-in's inline spec of every shape (tests/test_standin_shapes.py),
generated into a package of its own for the test, so that bodies, PUT, PATCH and DELETE are
covered before the project's spec has them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import importlib
import json
import logging
import re
import shutil
import ssl
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generate
import spec_model as sm
from standin import StandIn
from tests.conftest import spread
from tests.test_standin_shapes import shapes_spec

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "generated" / "ocp_client"
AK, SK = "cqammmxBpfGjFlto", "2fc0c299cc94c6be266f2ceece765d4d"  # the stand-in's default key
ZONES = [
    datetime.UTC,
    datetime.timezone(datetime.timedelta(hours=8)),
    datetime.timezone(datetime.timedelta(hours=-5)),
    datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
]
# One TLS context for every client: httpx loads the CA bundle for each client otherwise (60 ms).
TLS = ssl.create_default_context()
# `page` is typed int64 without a maximum while the answer's `data.page.number` is an int32:
# a page past 2**31 - 1 is sent and its answer refused (the spec's decision on `page`).
MAX_PAGE = 10**6

SPECS = {"ocp": sm.load(), "shapes": sm.Spec(shapes_spec())}
CASES = [(name, op.id) for name, spec in SPECS.items() for op in spec.operations]
# Drawn calls: about 200 over the specs, and at least 5 an operation, so that the suite keeps
# to its time as the spec grows to OCP's 160 operations.
DRAWN_EXAMPLES = max(5, min(25, 200 // len(CASES)))


def case_id(spec: str, op_id: str) -> str:
    return op_id if spec == "ocp" else f"{spec}.{op_id}"


def cases(
    keep: Callable[[sm.Spec, sm.Operation], bool] = lambda spec, op: True,
) -> pytest.MarkDecorator:
    """Parametrize over the (spec, operationId) pairs that ``keep`` accepts."""
    chosen = [(s, o) for s, o in CASES if keep(SPECS[s], SPECS[s].operation(o))]
    return pytest.mark.parametrize(("spec", "op_id"), chosen, ids=[case_id(*c) for c in chosen])


@dataclass
class Sdk:
    """A generated package and the stand-in serving its spec."""

    package: str
    spec: sm.Spec
    standin: StandIn

    def module(self, op: sm.Operation) -> Any:
        return importlib.import_module(f"{self.package}.api.{op.tag}.{op.module}")

    def model(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{self.package}.models"), name)

    def client(self, auth: str, **options: Any) -> Any:
        root = importlib.import_module(self.package)
        signer = importlib.import_module(f"{self.package}.auth").OcpAccessKeyAuth(AK, SK)
        chosen = httpx.BasicAuth("admin", "admin") if auth == "basic" else signer
        options.setdefault("max_retries", 0)
        return root.Client(base_url=self.standin.base_url, auth=chosen, verify=TLS, **options)


@contextlib.contextmanager
def serving(sdk: Sdk, op: sm.Operation) -> Iterator[Sdk]:
    """``sdk`` against a stand-in in the state ``op`` succeeds in: the module's own for an
    operation that reads, a fresh one for one that changes state (the stand-in holds state
    together: a policy created twice, or deleted twice, is refused the second time)."""
    if op.method == "GET":
        yield sdk
        return
    # Few generated tasks: one stand-in is made per call.
    if sdk.package == "ocp_client":
        fresh = StandIn(tasks=2)
    else:
        fresh = StandIn(spec=shapes_spec(), tasks=2)
    with fresh:
        yield dataclasses.replace(sdk, standin=fresh)


def _generated_package(spec: sm.Spec, out: Path, name: str) -> str:
    """Generate ``spec`` into ``out/name`` beside a copy of the hand-written runtime."""
    built = generate.build(spec, out / "build")
    package = out / name
    shutil.copytree(built, package)
    for runtime in [*RUNTIME.glob("*.py"), RUNTIME / "py.typed"]:
        shutil.copy2(runtime, package / runtime.name)
    return name


@pytest.fixture(scope="module")
def sdks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Sdk]]:
    out = tmp_path_factory.mktemp("sdk")
    package = _generated_package(SPECS["shapes"], out, "ocp_shapes_sdk")
    sys.path.insert(0, str(out))
    try:
        with StandIn() as ocp, StandIn(spec=shapes_spec()) as shapes:
            yield {
                "ocp": Sdk("ocp_client", SPECS["ocp"], ocp),
                "shapes": Sdk(package, SPECS["shapes"], shapes),
            }
    finally:
        sys.path.remove(str(out))
        for loaded in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[loaded]


def requests_seen(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str, str]]:
    """(method, path with query, status) of each request the stand-in logged."""
    pattern = re.compile(r"^([A-Z]+) (\S+) (\d{3}|reset)")
    lines = [r.getMessage() for r in caplog.records if r.name == "standin"]
    return [m.groups() for m in map(pattern.match, lines) if m]  # type: ignore[misc]


# --- arguments -----------------------------------------------------------------------------------


def python_value(kind: sm.Type, value: Any) -> Any:
    """An SDK argument from the JSON value of a parameter (times as aware datetimes)."""
    if isinstance(kind, sm.DateTimeType):
        return datetime.datetime.fromisoformat(value)
    if isinstance(kind, sm.DateType):
        return datetime.date.fromisoformat(value)
    if isinstance(kind, sm.ArrayType):
        return [python_value(kind.items, item) for item in value]
    return value


def sent_value(kind: sm.Type, text: str) -> Any:
    """A query value as the server reads it: a time as the instant it names (the SDK may spell
    it otherwise than the stand-in's example), anything else as its text."""
    items = kind.items if isinstance(kind, sm.ArrayType) else kind
    if isinstance(items, sm.DateTimeType):
        return datetime.datetime.fromisoformat(text)
    return text.lower() if isinstance(items, sm.BooleanType) else text


def example_arguments(sdk: Sdk, op: sm.Operation, *, optional: bool) -> dict[str, Any]:
    """The stand-in's example request as SDK arguments: required ones, or every one."""
    request = sdk.standin.example_request(op.id, optional=optional)
    arguments = {
        p.py_name: python_value(p.type, request.values[p.name])
        for p in op.parameters
        if p.name in request.values
    }
    if request.body is not None and op.body is not None:
        arguments["body"] = sdk.model(op.body.type.name).from_dict(request.body)
    return arguments


def _times() -> st.SearchStrategy[datetime.datetime]:
    return st.datetimes(
        min_value=datetime.datetime(1971, 1, 1),
        max_value=datetime.datetime(2099, 1, 1),
        timezones=st.sampled_from(ZONES) | st.timezones(),
    ).map(lambda t: t if t.utcoffset() is not None else t.replace(tzinfo=datetime.UTC))


def scalar_values(spec: sm.Spec, kind: sm.Type) -> st.SearchStrategy[Any]:
    """Valid Python values of a scalar type (as the SDK takes them)."""
    if isinstance(kind, sm.IntegerType):
        return st.integers(min_value=kind.lower, max_value=kind.upper)
    if isinstance(kind, sm.NumberType):
        return st.floats(kind.lower, kind.upper, allow_nan=False, allow_infinity=False)
    if isinstance(kind, sm.DateTimeType):
        return _times()
    if isinstance(kind, sm.DateType):
        return st.dates()
    if isinstance(kind, sm.BooleanType):
        return st.booleans()
    if isinstance(kind, sm.EnumType):
        known = st.sampled_from(spec.enums[kind.name].values)
        return known | st.text(min_size=1, max_size=12) if kind.open else known
    if isinstance(kind, sm.StringType) and kind.pattern is not None:
        return st.from_regex(kind.pattern, fullmatch=True)
    if isinstance(kind, sm.StringType):
        # Not empty: an empty value is an absent parameter to OCP (Spring binds "" to null).
        return st.text(min_size=1, max_size=20)
    raise NotImplementedError(f"no strategy for {kind}")


def argument_values(spec: sm.Spec, parameter: sm.Parameter) -> st.SearchStrategy[Any]:
    """Valid SDK arguments for a parameter."""
    kind = parameter.type
    if isinstance(kind, sm.ArrayType):
        return st.lists(scalar_values(spec, kind.items), min_size=1, max_size=3)
    if parameter.name == "page" and isinstance(kind, sm.IntegerType):
        upper = MAX_PAGE if kind.upper is None else min(kind.upper, MAX_PAGE)
        return st.integers(min_value=kind.lower, max_value=upper)
    return scalar_values(spec, kind)


def json_values(
    spec: sm.Spec, kind: sm.Type, schema: Mapping[str, Any], depth: int = 0
) -> st.SearchStrategy[Any]:
    """Valid JSON values of a type; ``schema`` (the property's own) adds lengths and formats."""
    if isinstance(kind, sm.ModelType):
        model = spec.models[kind.name]
        values = {
            p.json_name: json_values(spec, p.type, p.schema, depth + 1) for p in model.properties
        }
        required = {p.json_name: values[p.json_name] for p in model.properties if p.required}
        optional = {} if depth > 3 else {n: v for n, v in values.items() if n not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if isinstance(kind, sm.ArrayType):
        shortest = int(schema.get("minItems", 0))
        longest = int(schema.get("maxItems", shortest + 3)) if depth <= 3 else shortest
        unique = bool(schema.get("uniqueItems"))
        items = json_values(spec, kind.items, {}, depth + 1)
        return st.lists(items, min_size=shortest, max_size=longest, unique=unique)
    if isinstance(kind, sm.MapType):
        entries = json_values(spec, kind.values, {}, depth + 1)
        return st.dictionaries(st.text(max_size=5), entries, max_size=2)
    if isinstance(kind, sm.AnyType):
        return st.integers() | st.text(max_size=5) | st.booleans()
    if isinstance(kind, sm.DateTimeType | sm.DateType):
        return scalar_values(spec, kind).map(lambda value: value.isoformat())
    if isinstance(kind, sm.StringType) and kind.pattern is None:
        if schema.get("format") == "email":
            return st.emails()
        if schema.get("format") == "uuid":
            return st.uuids().map(str)
        shortest, longest = int(schema.get("minLength", 0)), int(schema.get("maxLength", 20))
        return st.text(min_size=shortest, max_size=longest)
    return scalar_values(spec, kind)


@st.composite
def drawn_arguments(draw: st.DrawFn, sdk: Sdk, op: sm.Operation) -> dict[str, Any]:
    """Valid arguments for an operation: the required ones drawn, each optional one drawn or
    left out; a period's bounds both or neither, in order; a listing's scope kept (else 404)."""
    example = sdk.standin.example_request(op.id)
    listing = sdk.standin.app.listings.get(op.id)
    scoped = {scope.parameter for scope in listing[0].scopes} if listing else set()
    bounds = {p.name for pair in op.periods for p in pair}
    arguments: dict[str, Any] = {}
    for parameter in op.parameters:
        # A path names a thing the stand-in has (an unknown cluster is OCP's 404).
        if parameter.name in scoped or parameter.location == "path":
            arguments[parameter.py_name] = python_value(
                parameter.type, example.values[parameter.name]
            )
        elif parameter.name in bounds:
            continue
        elif parameter.required or draw(st.booleans()):
            arguments[parameter.py_name] = draw(argument_values(sdk.spec, parameter))
    for start, end in op.periods:
        if draw(st.booleans()):
            first = draw(argument_values(sdk.spec, start))
            if isinstance(first, datetime.datetime):
                arguments[start.py_name] = first
                length = st.timedeltas(datetime.timedelta(0), datetime.timedelta(days=30))
                arguments[end.py_name] = first + draw(length)
            else:
                second = draw(argument_values(sdk.spec, end))
                arguments[start.py_name], arguments[end.py_name] = sorted([first, second])
    if op.body is not None and (op.body.required or draw(st.booleans())):
        document = draw(json_values(sdk.spec, op.body.type, {}))
        arguments["body"] = sdk.model(op.body.type.name).from_dict(document)
    return arguments


# --- requests ------------------------------------------------------------------------------------


# Each operation is called with its required arguments and with every argument, each with one
# scheme; the schemes sign alike whatever the operation, so the other two pairings are taken on
# a spread of the operations only (the suite grows with the spec once, not four times).
PAIRINGS = [(False, "basic"), (True, "accesskey")]
CROSSED = spread(CASES)
CONFORM = [
    (*case, optional, auth)
    for case in CASES
    for optional, auth in [
        *PAIRINGS,
        *([(False, "accesskey"), (True, "basic")] * (case in CROSSED)),
    ]
]


@pytest.mark.parametrize(
    ("spec", "op_id", "optional", "auth"),
    CONFORM,
    ids=[
        f"{'every-argument' if optional else 'required'}-{auth}-{case_id(spec, op_id)}"
        for spec, op_id, optional, auth in CONFORM
    ],
)
def test_requests_conform(
    sdks: dict[str, Sdk],
    caplog: pytest.LogCaptureFixture,
    spec: str,
    op_id: str,
    auth: str,
    optional: bool,
) -> None:
    caplog.set_level(logging.INFO, logger="standin")
    op = sdks[spec].spec.operation(op_id)
    module = sdks[spec].module(op)
    # An operation that changes state is called once, on a stand-in of its own; one that reads
    # both ways (sync and sync_detailed share the runtime's path past the answer).
    calls = 2 if op.method == "GET" else 1
    with serving(sdks[spec], op) as sdk, sdk.client(auth) as client:
        arguments = example_arguments(sdk, op, optional=optional)
        if calls == 2:
            data = module.sync(client=client, **arguments)
            assert (data is None) is (op.result.shape == "none")
        detailed = module.sync_detailed(client=client, **arguments)
    assert detailed.status_code == int(op.result.status)
    assert (detailed.parsed is None) is (op.result.shape == "none")
    seen = requests_seen(caplog)
    assert [(m, status) for m, _, status in seen] == [(op.method, op.result.status)] * calls
    meant = sdk.standin.example_request(op_id, optional=optional).values
    for _, target, _ in seen:
        # `+` in a query is a space (httpx writes spaces so, servers read them so): the query
        # must decode to the values meant, which a literal plus sent raw (`+08:00`) would not.
        for name, texts in parse_qs(target.partition("?")[2], keep_blank_values=True).items():
            parameter = op.parameter(name, "query")
            assert parameter is not None, f"{name} is no query parameter: {target}"
            value = meant.get(name, parameter.default)
            expected = value if isinstance(value, list) else [value]
            assert [sent_value(parameter.type, text) for text in texts] == [
                sent_value(parameter.type, str(item)) for item in expected
            ], f"{name} arrives changed: {target}"


@cases()
def test_every_argument_is_sent(sdks: dict[str, Sdk], spec: str, op_id: str) -> None:
    op = sdks[spec].spec.operation(op_id)
    sent: list[httpx.Request] = []
    hooks = {"event_hooks": {"request": [sent.append]}}
    with serving(sdks[spec], op) as sdk, sdk.client("basic", httpx_args=hooks) as client:
        expected = sdk.standin.example_request(op_id, optional=True)
        arguments = example_arguments(sdk, op, optional=True)
        response = sdk.module(op).sync_detailed(client=client, **arguments)
    assert response.status_code == int(op.result.status)
    (request,) = sent
    names = {name for name, _ in httpx.QueryParams(request.url.query.decode()).multi_items()}
    assert names == {p.name for p in op.parameters if p.location == "query"}
    assert request.url.path == expected.path
    if op.body is None:
        assert request.content == b""
    else:  # every property, as the model dumps it (times in the SDK's own spelling)
        body = json.loads(request.content)
        assert body == arguments["body"].to_dict() and set(body) == set(expected.body)


@cases()
def test_async_requests_conform(
    sdks: dict[str, Sdk], caplog: pytest.LogCaptureFixture, spec: str, op_id: str
) -> None:
    caplog.set_level(logging.INFO, logger="standin")
    sdk = sdks[spec]
    op = sdk.spec.operation(op_id)
    module = sdk.module(op)
    arguments = example_arguments(sdk, op, optional=True)

    async def call() -> int:
        async with sdk.client("accesskey") as client:
            response = await module.asyncio_detailed(client=client, **arguments)
            return int(response.status_code)

    assert asyncio.run(call()) == int(op.result.status)
    assert [status for _, _, status in requests_seen(caplog)] == [op.result.status]


@cases(lambda spec, op: op.result.shape == "page")
def test_walking_every_page_conforms(
    sdks: dict[str, Sdk], caplog: pytest.LogCaptureFixture, spec: str, op_id: str
) -> None:
    """`sync_iter` (pages fetched ahead by worker threads, sharing the client, its signer and
    its retry transport) and `asyncio_iter`: every request conforms and verifies."""
    caplog.set_level(logging.INFO, logger="standin")
    sdk = sdks[spec]
    op = sdk.spec.operation(op_id)
    module = sdk.module(op)
    arguments = {k: v for k, v in example_arguments(sdk, op, optional=False).items() if k != "page"}
    store = sdk.standin.store(op_id)
    total = len(store.select(store.scopes()[0], []))
    arguments["size"] = 2
    with sdk.client("accesskey") as client:
        assert len(list(module.sync_iter(client=client, concurrency=4, **arguments))) == total

    async def walk() -> int:
        async with sdk.client("accesskey") as client:
            return len([item async for item in module.asyncio_iter(client=client, **arguments)])

    assert asyncio.run(walk()) == total
    statuses = [status for _, _, status in requests_seen(caplog)]
    assert len(statuses) >= total and set(statuses) == {"200"}


@cases(lambda spec, op: any(isinstance(p.type, sm.DateTimeType) for p in op.parameters))
@pytest.mark.parametrize("zone", range(len(ZONES)), ids=[str(z) for z in ZONES])
def test_times_keep_their_offset(
    sdks: dict[str, Sdk], caplog: pytest.LogCaptureFixture, spec: str, op_id: str, zone: int
) -> None:
    caplog.set_level(logging.INFO, logger="standin")
    sdk = sdks[spec]
    op = sdk.spec.operation(op_id)
    arguments = example_arguments(sdk, op, optional=True)
    times = [p for p in op.parameters if isinstance(p.type, sm.DateTimeType)]
    for parameter in times:
        moment: datetime.datetime = arguments[parameter.py_name]
        arguments[parameter.py_name] = moment.astimezone(ZONES[zone]).replace(microsecond=123456)
    with sdk.client("accesskey") as client:
        assert sdk.module(op).sync_detailed(client=client, **arguments).status_code < 300
    ((_, target, status),) = requests_seen(caplog)
    query = target.partition("?")[2]
    assert status == op.result.status and "+" not in query
    for parameter in times:
        found = re.search(rf"(?:^|&){parameter.name}=([^&]+)", query)
        assert found, query
        offset = quote(arguments[parameter.py_name].isoformat()[-6:], safe="")  # +08:00
        assert found.group(1).endswith(f".123456{offset}"), "microseconds and offset kept"


@cases()
@settings(
    max_examples=DRAWN_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_drawn_arguments_conform(
    sdks: dict[str, Sdk], spec: str, op_id: str, data: st.DataObject
) -> None:
    op = sdks[spec].spec.operation(op_id)
    with serving(sdks[spec], op) as sdk, sdk.client("accesskey") as client:
        arguments = data.draw(drawn_arguments(sdk, op), label="arguments")
        response = sdk.module(op).sync_detailed(client=client, **arguments)
    assert response.status_code == int(op.result.status), response.content[:300]


# --- negative controls ---------------------------------------------------------------------------


def _bad_text(kind: sm.Type) -> str | None:
    """A text no value of this type is spelled as (None when every text is one)."""
    if isinstance(kind, sm.IntegerType | sm.NumberType):
        return "x"
    if isinstance(kind, sm.DateTimeType):
        return "2021-09-01T00:00:00 08:00"  # the `+` a raw query turns into a space
    if isinstance(kind, sm.DateType | sm.BooleanType):
        return "x"
    if isinstance(kind, sm.EnumType) and not kind.open:
        return "NO_SUCH_VALUE"
    if isinstance(kind, sm.ArrayType):
        return _bad_text(kind.items)
    return None


def _refusable(spec: sm.Spec, op: sm.Operation) -> bool:
    """Whether the spec refuses some request for the operation (a bad parameter or body)."""
    body = op.body is not None and any(
        p.required for p in spec.models[op.body.type.name].properties
    )
    return body or any(p.required or _bad_text(p.type) for p in op.parameters)


@cases(_refusable)
def test_the_stand_in_refuses_what_the_spec_refuses(
    sdks: dict[str, Sdk], spec: str, op_id: str
) -> None:
    """Negative controls: requests a drifting SDK could send are refused, naming the parameter
    or the body's field, so that the checks above are not vacuous."""
    sdk = sdks[spec]
    op = sdk.spec.operation(op_id)
    request = sdk.standin.example_request(op_id, optional=True)
    bad: list[tuple[str, str, list[tuple[str, str]], Any]] = []  # (name, path, query, body)
    for parameter in op.parameters:
        text = _bad_text(parameter.type)
        others = [(k, v) for k, v in request.query if k != parameter.name]
        if parameter.location == "path" and text is not None:
            path = request.path.replace(str(request.values[parameter.name]), text, 1)
            bad.append((parameter.name, path, request.query, request.body))
        elif parameter.location == "query" and text is not None:
            bad.append(
                (parameter.name, request.path, [*others, (parameter.name, text)], request.body)
            )
        if parameter.location == "query" and parameter.required:
            bad.append((parameter.name, request.path, others, request.body))
    if op.body is not None:
        model = sdk.spec.models[op.body.type.name]
        for prop in model.properties:
            if prop.required:
                body = {k: v for k, v in request.body.items() if k != prop.json_name}
                bad.append((prop.json_name, request.path, request.query, body))
    with httpx.Client(base_url=sdk.standin.base_url, auth=("admin", "admin"), verify=TLS) as http:
        for name, path, query, body in bad:
            content = {} if body is None else {"json": body}
            response = http.request(op.method, path, params=tuple(query), **content)
            assert response.status_code == 400, (name, response.text)
            assert response.json()["error"]["target"] == name, response.text


INTEGER_PARAMETERS = [
    (s, o, p.name)
    for s, o in CASES
    for p in SPECS[s].operation(o).parameters
    if isinstance(p.type, sm.IntegerType)
]


@pytest.mark.parametrize(
    ("spec", "op_id", "name"),
    INTEGER_PARAMETERS,
    ids=[f"{case_id(s, o)}-{n}" for s, o, n in INTEGER_PARAMETERS],
)
def test_the_sdk_refuses_an_integer_argument_exactly_when_the_spec_does(
    sdks: dict[str, Sdk], spec: str, op_id: str, name: str
) -> None:
    """At each bound of each integer parameter (spec_model's reading of its format, minimum and
    maximum), the SDK's check and the stand-in's validation of the spec agree, but for the one
    documented exception: above `size`'s maximum OCP, and so the stand-in, clamps, while the SDK
    refuses what the spec's `maximum` excludes. (A `page` past int32 is sent, and its answer
    refused: see the spec's decision on `page`.)"""
    errors = importlib.import_module(f"{sdks[spec].package}.errors")
    sdk = sdks[spec]
    op = sdk.spec.operation(op_id)
    parameter = op.parameter(name)
    assert parameter is not None and isinstance(parameter.type, sm.IntegerType)
    lower, upper = parameter.type.lower, parameter.type.upper
    # A side without a bound (no format, minimum or maximum) is tried far out: both take it.
    tried = [
        *((-(2**64),) if lower is None else (lower - 1, lower)),
        *((2**64,) if upper is None else (upper, upper + 1)),
    ]
    request = sdk.standin.example_request(op_id)
    disagreements = []
    with (
        sdk.client("basic") as client,
        httpx.Client(base_url=sdk.standin.base_url, auth=("admin", "admin"), verify=TLS) as http,
    ):
        for value in tried:
            arguments = example_arguments(sdk, op, optional=False)
            arguments[parameter.py_name] = value
            try:
                sdk.module(op).sync_detailed(client=client, **arguments)
                sdk_refuses = False
            except errors.RequestValidationError:
                sdk_refuses = True
            except errors.ResponseValidationError as error:  # sent, but answered out of the spec
                assert (name, error.path) == ("page", "data.page.number"), error
                sdk_refuses = False
            values = {**request.values, name: value}
            path = op.path
            for other in op.parameters:
                if other.location == "path":
                    path = path.replace("{" + other.name + "}", str(values[other.name]))
            query = [
                (p.name, str(values[p.name]))
                for p in op.parameters
                if p.location == "query" and p.name in values
            ]
            content = {} if request.body is None else {"json": request.body}
            spec_refuses = (
                http.request(op.method, path, params=tuple(query), **content).status_code == 400
            )
            clamped = name == "size" and upper is not None and value > upper
            if sdk_refuses != (spec_refuses or clamped):
                disagreements.append(f"{name}={value}: sdk {sdk_refuses}, spec {spec_refuses}")
    assert not disagreements, disagreements
