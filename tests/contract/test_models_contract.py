"""Contract check 2: the generated package <-> the spec, as tools/spec_model.py reads it.

For every model of the spec (test id: the schema's name): the class exists; its JSON property
names, required set and Python names are the spec's; each attribute's annotation is what the
spec's type says (an optional property is ``T | None``, an open enum ``Enum | str``); each
runtime kind checks what the spec says (integer ranges: the shared ``INT64``/``INT32`` or
``Integer(lo, hi)``); descriptions reached the docstrings. For every enum: its values. For every
operation (test id: its operationId): its module, its functions (``sync_iter``/``asyncio_iter``
exactly for a paginated answer), their arguments as spec_model names them with the spec's
defaults, and the ``Operation`` it declares. Each check is a function of (spec, package), so a
test shows that it fails for a spec changed without a regeneration, and the probe's models and
operations (tests/conftest.py: the constructs the spec does not use yet, generated into a scratch
package) are checked alike.
"""

from __future__ import annotations

import ast
import copy
import datetime
import enum
import importlib
import inspect
import types
import typing
from collections.abc import AsyncGenerator, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import generate
import spec_model as sm
from tests.conftest import (
    PROBE_PATHS,
    PROBE_SCHEMAS,
    probe_document,
    probe_enums,
    probe_models,
    probe_operations,
    probe_spec,
    spec_model_of,
)

SPEC = spec_model_of()
PACKAGE = "ocp_client"
FUNCTIONS = ("sync", "asyncio", "sync_detailed", "asyncio_detailed")
PAGE_FUNCTIONS = ("sync_iter", "asyncio_iter")
# Schemas the runtime serves generically (ocp_client.Page) rather than with a generated class.
RUNTIME_MODELS = generate.RUNTIME_SCHEMAS


def squeezed(text: str) -> str:
    """Text without whitespace: docstrings are rewrapped (and hyphenated words broken)."""
    return "".join(text.split())


def contains(doc: str | None, description: str) -> bool:
    return squeezed(description) in squeezed(doc or "")


def package_module(package: str, *parts: str) -> types.ModuleType | None:
    try:
        return importlib.import_module(".".join((package, *parts)))
    except ModuleNotFoundError:
        return None


def runtime(package: str, module: str) -> Any:
    """A hand-written runtime module of the package (``_kinds``, ``types``, ...)."""
    return importlib.import_module(f"{package}.{module}")


def namespace(package: str) -> dict[str, Any]:
    """Every model and enum of the package by name, and the runtime's Page, to resolve
    annotations with (the generated modules import models for type checkers only)."""
    models = importlib.import_module(f"{package}.models")
    names = {name: getattr(models, name) for name in models.__all__}
    return {**names, **{name: runtime(package, "types").Page for name in RUNTIME_MODELS}}


# --- types ---------------------------------------------------------------------------------------


def expected_hint(kind: sm.Type, names: Mapping[str, Any]) -> Any:
    """The annotation a value of ``kind`` has in the generated code."""
    scalars: dict[type, Any] = {
        sm.IntegerType: int,
        sm.NumberType: float,
        sm.StringType: str,
        sm.BooleanType: bool,
        sm.DateTimeType: datetime.datetime,
        sm.DateType: datetime.date,
        sm.AnyType: Any,
    }
    if type(kind) in scalars:
        return scalars[type(kind)]
    if isinstance(kind, sm.EnumType):
        return names[kind.name] | str if kind.open else names[kind.name]
    if isinstance(kind, sm.ArrayType):
        return list[expected_hint(kind.items, names)]  # type: ignore[misc]
    if isinstance(kind, sm.MapType):
        return dict[str, expected_hint(kind.values, names)]  # type: ignore[misc]
    assert isinstance(kind, sm.ModelType)
    return names[kind.name]


def normalised(hint: Any) -> Any:
    """A type hint with unions as frozensets of members and generics as (origin, arguments)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return frozenset(normalised(a) for a in typing.get_args(hint))
    if origin is not None:
        return (origin, tuple(normalised(a) for a in typing.get_args(hint)))
    return hint


def optional(hint: Any) -> Any:
    return hint | None


def kind_problems(kind: object, expected: sm.Type, where: str, package: str) -> list[str]:
    """How the runtime kind ``kind`` fails to check what the spec's type says."""
    _kinds = runtime(package, "_kinds")
    wrong = [f"{where}: kind {type(kind).__name__} for the spec's {expected}"]
    if isinstance(expected, sm.IntegerType):
        if not isinstance(kind, _kinds.Integer):
            return wrong
        bounds = (expected.lower, expected.upper)
        if (kind.lower, kind.upper) != bounds:
            return [f"{where}: integer range {kind.lower}..{kind.upper}, spec {bounds}"]
        # The shared kinds of the integer formats (spec_model.INTEGER_FORMATS).
        formats = {(-(2**63), 2**63 - 1): _kinds.INT64, (-(2**31), 2**31 - 1): _kinds.INT32}
        if bounds in formats and kind is not formats[bounds]:
            return [f"{where}: the range of a format, not the shared kind of the format"]
        return []
    if isinstance(expected, sm.NumberType):
        if not isinstance(kind, _kinds.Number):
            return wrong
        if (kind.lower, kind.upper) != (expected.lower, expected.upper):
            return [f"{where}: number range {kind.lower}..{kind.upper}, spec {expected}"]
        return []
    if isinstance(expected, sm.StringType):
        if not isinstance(kind, _kinds.String):
            return wrong
        pattern = None if kind.pattern is None else kind.pattern.pattern
        checks = (kind.min_length, kind.max_length, pattern)
        wanted = (expected.min_length, expected.max_length, expected.pattern)
        return [] if checks == wanted else [f"{where}: string checks {checks}, spec {wanted}"]
    simple = {
        sm.BooleanType: _kinds.Boolean,
        sm.DateTimeType: _kinds.DateTime,
        sm.DateType: _kinds.Date,
        sm.AnyType: _kinds.Any_,
    }
    if type(expected) in simple:
        return [] if type(kind) is simple[type(expected)] else wrong
    if isinstance(expected, sm.EnumType):
        if not isinstance(kind, _kinds.Enum):
            return wrong
        enum_class = kind.enum_class
        module = f"{package}.models.{sm.snake(expected.name)}"
        if (enum_class.__name__, enum_class.__module__) != (expected.name, module):
            return [f"{where}: enum {enum_class.__module__}.{enum_class.__name__}"]
        return [] if kind.open == expected.open else [f"{where}: open {kind.open}, spec not"]
    if isinstance(expected, sm.ArrayType):
        if not isinstance(kind, _kinds.Array):
            return wrong
        return kind_problems(kind.items, expected.items, f"{where}[]", package)
    if isinstance(expected, sm.MapType):
        if not isinstance(kind, _kinds.Map):
            return wrong
        return kind_problems(kind.values, expected.values, f"{where}{{}}", package)
    assert isinstance(expected, sm.ModelType)
    if not isinstance(kind, _kinds.Object):
        return wrong
    if (kind.module, kind.name) != (f".models.{sm.snake(expected.name)}", expected.name):
        return [f"{where}: model {kind.module} {kind.name}"]
    return []


# --- models --------------------------------------------------------------------------------------


def attribute_docs(cls: type) -> dict[str, str]:
    """The docstring under each annotated attribute of a class, from its source."""
    tree = ast.parse(Path(inspect.getfile(cls)).read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
    docs: dict[str, str] = {}
    for statement, following in zip(node.body, node.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = following.value.value
    return docs


def model_problems(spec: sm.Spec, model: sm.Model, package: str = PACKAGE) -> list[str]:
    """Everything in which the package's class for ``model`` disagrees with the spec."""
    name = model.name
    if name in RUNTIME_MODELS:
        return page_problems(model, package)
    module = package_module(package, "models", model.module)
    cls = getattr(module, name, None)
    base = runtime(package, "_model").Model
    if not isinstance(cls, type) or not issubclass(cls, base) or not attrs.has(cls):
        return [f"{name}: no generated class"]
    problems: list[str] = []
    fields = {field.json_name: field for field in getattr(cls, "__ocp_fields__", ())}
    properties = {prop.json_name: prop for prop in model.properties}
    if set(fields) != set(properties):
        problems.append(f"{name}: JSON properties {sorted(fields)} != spec {sorted(properties)}")
    kept = getattr(cls, "__ocp_additional__", None)
    if kept != model.additional:
        problems.append(f"{name}: unnamed properties kept {kept}, spec {model.additional}")
    if not contains(cls.__doc__, model.description):
        problems.append(f"{name}: description missing from the docstring")
    attributes = {a.name: a for a in attrs.fields(cls)}
    if set(attributes) != {p.py_name for p in model.properties} | {"additional_properties"}:
        problems.append(f"{name}: attributes {sorted(attributes)}")
    if not all(a.kw_only for a in attributes.values()):
        problems.append(f"{name}: the constructor takes positional arguments")
    hints = typing.get_type_hints(cls, localns=namespace(package))
    docs = attribute_docs(cls)
    for json_name, prop in properties.items():
        where = f"{name}.{json_name}"
        field = fields.get(json_name)
        if field is None or prop.py_name not in attributes:
            problems.append(f"{where}: no attribute {prop.py_name}")
            continue
        if field.name != prop.py_name:
            problems.append(f"{where}: Python name {field.name}, spec_model {prop.py_name}")
        if field.required != prop.required:
            problems.append(f"{where}: required {field.required}, spec {prop.required}")
        default = attributes[prop.py_name].default
        if (default is attrs.NOTHING) != prop.required or default not in (None, attrs.NOTHING):
            problems.append(f"{where}: default {default!r} (absent optional reads as None)")
        want = expected_hint(prop.type, namespace(package))
        want = want if prop.required else optional(want)
        if normalised(hints[prop.py_name]) != normalised(want):
            problems.append(f"{where}: annotation {hints[prop.py_name]} != spec {want}")
        problems += kind_problems(field.kind, prop.type, where, package)
        if not contains(docs.get(prop.py_name), prop.description):
            problems.append(f"{where}: description missing from the docstring")
    return problems


def page_problems(model: sm.Model, package: str) -> list[str]:
    """The spec's Page schema is the runtime's generic ``ocp_client.Page``."""
    want = {prop.py_name for prop in model.properties} | {"additional_properties"}
    have = {a.name for a in attrs.fields(runtime(package, "types").Page)}
    return [] if have == want else [f"{model.name}: ocp_client.Page has {sorted(have)}"]


def enum_problems(schema: sm.Enum, package: str = PACKAGE) -> list[str]:
    """Everything in which the package's Enum for ``schema`` disagrees with the spec."""
    name = schema.name
    cls = getattr(package_module(package, "models", schema.module), name, None)
    if not isinstance(cls, type) or not issubclass(cls, enum.Enum):
        return [f"{name}: no generated Enum"]
    problems = []
    if tuple(member.value for member in cls) != schema.values:
        problems.append(f"{name}: values {[m.value for m in cls]} != spec {schema.values}")
    base = enum.StrEnum if isinstance(schema.values[0], str) else enum.IntEnum
    if not issubclass(cls, base):
        problems.append(f"{name}: not a {base.__name__}")
    if any(str(member) != str(member.value) for member in cls):
        problems.append(f"{name}: str() of a member is not its value")
    if not contains(cls.__doc__, schema.description):
        problems.append(f"{name}: description missing from the docstring")
    return problems


# --- operations ----------------------------------------------------------------------------------

_P = inspect.Parameter


def expected_signature(
    op: sm.Operation, iterating: bool, package: str
) -> list[tuple[str, Any, Any]]:
    """(name, kind, default) of each argument of an operation's functions, in order for the
    positional ones; ``_P.empty``: no default."""
    arguments: list[tuple[str, Any, Any]] = [
        (p.py_name, _P.POSITIONAL_OR_KEYWORD, _P.empty)
        for p in op.parameters
        if p.location == "path"
    ]
    arguments.append(("client", _P.KEYWORD_ONLY, _P.empty))
    if op.body is not None:
        arguments.append(("body", _P.KEYWORD_ONLY, _P.empty if op.body.required else None))
    for p in op.parameters:
        if p.location != "query":
            continue
        default = p.default if p.default is not None else (_P.empty if p.required else None)
        if iterating and p.name == "page":
            continue
        if iterating and p.name == "size":
            # The walks ask for the most OCP serves, or the most the spec lets a request ask for.
            assert isinstance(p.type, sm.IntegerType)
            most = runtime(package, "_pagination").MAX_PAGE_SIZE
            default = most if p.type.upper is None else min(most, p.type.upper)
        arguments.append((p.py_name, _P.KEYWORD_ONLY, default))
    if iterating:
        concurrency = runtime(package, "_pagination").DEFAULT_CONCURRENCY
        arguments.append(("concurrency", _P.KEYWORD_ONLY, concurrency))
        arguments.append(("walk_retry", _P.KEYWORD_ONLY, None))
    arguments.append(("timeout", _P.KEYWORD_ONLY, None))
    arguments.append(("deadline", _P.KEYWORD_ONLY, None))
    if op.idempotent:  # an operation never retried has no retries to set
        arguments.append(("max_retries", _P.KEYWORD_ONLY, None))
    return arguments


def shown(arguments: list[tuple[str, Any, Any]]) -> list[str]:
    """Arguments as a signature shows them (``name``, ``*``, ``name=default``): the positional
    ones in order, the keyword-only ones sorted."""
    positional = [a for a in arguments if a[1] is not _P.KEYWORD_ONLY]
    keyword = sorted(a for a in arguments if a[1] is _P.KEYWORD_ONLY)
    return [
        name if default is _P.empty else f"{name}={getattr(default, 'value', default)!r}"
        for name, _kind, default in [*positional, ("*", None, _P.empty), *keyword]
    ]


def returns(op: sm.Operation, names: Mapping[str, Any]) -> Any:
    """What ``sync`` returns: the envelope's ``data``."""
    if op.result.shape == "page":
        assert op.result.item is not None
        return names[sm.PAGE][expected_hint(op.result.item, names)]
    if op.result.shape == "none":
        return type(None)
    assert op.result.data is not None
    return expected_hint(op.result.data, names)


def signature_problems(op: sm.Operation, module: types.ModuleType, package: str) -> list[str]:
    problems = []
    names = namespace(package)
    item = returns(op, names)
    detailed = runtime(package, "types").Response[item]
    result_types = {
        "sync": item,
        "asyncio": item,
        "sync_detailed": detailed,
        "asyncio_detailed": detailed,
    }
    if op.result.shape == "page":
        assert op.result.item is not None
        each = expected_hint(op.result.item, names)
        result_types["sync_iter"] = Iterator[each]  # type: ignore[valid-type]
        result_types["asyncio_iter"] = AsyncGenerator[each, None]  # type: ignore[valid-type]
    arguments = {p.py_name: p for p in op.parameters}
    for function_name, result_type in result_types.items():
        where = f"{op.id}.{function_name}"
        function = getattr(module, function_name, None)
        if function is None:
            continue
        want = expected_signature(op, function_name.endswith("_iter"), package)
        parameters = inspect.signature(function).parameters
        have = [(p.name, p.kind, p.default) for p in parameters.values()]
        if shown(have) != shown(want):
            extra = [a for a in shown(have) if a not in shown(want)]
            missing = [a for a in shown(want) if a not in shown(have)]
            problems.append(f"{where}: arguments {extra or 'in another order'}, spec {missing}")
            continue
        hints = typing.get_type_hints(function, localns=names)
        for name, _kind, default in want:
            if name not in arguments:
                continue
            hint = expected_hint(arguments[name].type, names)
            if default is None:
                hint = optional(hint)
            if normalised(hints[name]) != normalised(hint):
                problems.append(f"{where}: {name} is {hints[name]}, spec {hint}")
        if normalised(hints["return"]) != normalised(result_type):
            problems.append(f"{where}: returns {hints['return']}, spec {result_type}")
    return problems


def declared_problems(op: sm.Operation, declared: Any, package: str) -> list[str]:
    """The module's ``_OPERATION``: what the runtime does for the operation."""
    problems = []
    facts = {
        "method": (declared.method, op.method),
        "path": (declared.path, op.path),
        "shape": (declared.shape, op.result.shape),
        "item_id": (
            declared.item_id,
            None if op.result.item_id is None else op.result.item_id.py_name,
        ),
        "periods": (
            tuple(declared.periods),
            tuple((start.py_name, end.py_name) for start, end in op.periods),
        ),
        "parameters": (
            [(p.py_name, p.name, p.location, p.required) for p in declared.parameters],
            [(p.py_name, p.name, p.location, p.required) for p in op.parameters],
        ),
        "body": (
            None if declared.body is None else (declared.body.name, declared.body_required),
            None if op.body is None else (op.body.type.name, op.body.required),
        ),
    }
    for name, (have, want) in facts.items():
        if have != want:
            problems.append(f"{op.id}: _OPERATION {name} {have!r}, spec {want!r}")
    for kind_of, parameter in zip(declared.parameters, op.parameters, strict=False):
        problems += kind_problems(
            kind_of.kind, parameter.type, f"{op.id}({parameter.name})", package
        )
    data = op.result.item if op.result.shape == "page" else op.result.data
    if data is None:
        if declared.data is not None:
            problems.append(f"{op.id}: _OPERATION data {declared.data!r} for no data")
    else:
        problems += kind_problems(declared.data, data, f"{op.id} data", package)
    return problems


def operation_problems(op: sm.Operation, package: str = PACKAGE) -> list[str]:
    """Everything in which the package's module for ``op`` disagrees with the spec."""
    module = package_module(package, "api", op.tag, op.module)
    if module is None:
        return [f"{op.id}: no module api/{op.tag}/{op.module}.py"]
    problems = []
    wanted = {*FUNCTIONS, *(PAGE_FUNCTIONS if op.result.shape == "page" else ())}
    present = {name for name in (*FUNCTIONS, *PAGE_FUNCTIONS) if hasattr(module, name)}
    if present != wanted or set(module.__all__) != wanted:
        problems.append(f"{op.id}: functions {sorted(present)}, spec {sorted(wanted)}")
    tag_package = importlib.import_module(f"{package}.api.{op.tag}")
    if op.module not in dir(tag_package) or op.tag not in dir(
        importlib.import_module(f"{package}.api")
    ):
        problems.append(f"{op.id}: not listed by dir() of its package")
    if not contains(module.__doc__, op.summary.rstrip(".")) or not contains(
        module.__doc__, op.description
    ):
        problems.append(f"{op.id}: summary or description missing from the module docstring")
    sync_doc = getattr(module, "sync", None).__doc__ if hasattr(module, "sync") else ""
    for parameter in op.parameters:
        if not contains(sync_doc, parameter.description):
            problems.append(f"{op.id}({parameter.name}): description missing from sync's docstring")
    problems += signature_problems(op, module, package)
    declared = getattr(module, "_OPERATION", None)
    if declared is None:
        return [*problems, f"{op.id}: no _OPERATION"]
    return problems + declared_problems(op, declared, package)


# --- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SPEC.models))
def test_model_matches_the_spec(name: str) -> None:
    assert model_problems(SPEC, SPEC.models[name]) == []


@pytest.mark.parametrize("name", list(SPEC.enums))
def test_enum_matches_the_spec(name: str) -> None:
    assert enum_problems(SPEC.enums[name]) == []


@pytest.mark.parametrize("operation_id", [op.id for op in SPEC.operations])
def test_operation_matches_the_spec(operation_id: str) -> None:
    assert operation_problems(SPEC.operation(operation_id)) == []


@pytest.mark.parametrize("name", probe_models())
def test_probe_model_matches_its_spec(probe_package: str, name: str) -> None:
    """The constructs the project's spec does not use yet, generated and checked alike."""
    assert model_problems(probe_spec(), probe_spec().models[name], probe_package) == []


@pytest.mark.parametrize("name", probe_enums())
def test_probe_enum_matches_its_spec(probe_package: str, name: str) -> None:
    assert enum_problems(probe_spec().enums[name], probe_package) == []


@pytest.mark.parametrize("operation_id", probe_operations())
def test_probe_operation_matches_its_spec(probe_package: str, operation_id: str) -> None:
    assert operation_problems(probe_spec().operation(operation_id), probe_package) == []


def test_no_generated_module_beyond_the_spec() -> None:
    """No class or operation module the spec does not (or no longer) describe."""
    models = importlib.import_module(f"{PACKAGE}.models")
    assert set(models.__all__) == (set(SPEC.models) - set(RUNTIME_MODELS)) | set(SPEC.enums)
    api = Path(importlib.import_module(f"{PACKAGE}.api").__path__[0])
    modules = {p.relative_to(api).as_posix() for p in api.glob("*/*.py") if p.stem != "__init__"}
    assert modules == {f"{op.tag}/{op.module}.py" for op in SPEC.operations}


def decisions(node: Any) -> list[str]:
    """Every `x-ocp-decision` text of a spec document."""
    if isinstance(node, Mapping):
        found = [str(node["x-ocp-decision"])] if "x-ocp-decision" in node else []
        return found + [text for value in node.values() for text in decisions(value)]
    if isinstance(node, list):
        return [text for value in node for text in decisions(value)]
    return []


def leaked_decisions(document: Mapping[str, Any], package: str) -> list[str]:
    """The `x-ocp-decision` texts of ``document`` that reached ``package``'s generated code."""
    root = Path(importlib.import_module(package).__path__[0])
    generated = squeezed(
        "".join(
            p.read_text(encoding="utf-8")
            for d in ("api", "models")
            for p in (root / d).rglob("*.py")
        )
    )
    # A decision's opening words; whitespace-free, as the generator rewraps text.
    return [text for text in decisions(document) if squeezed(text)[:60] in generated]


def test_decisions_stay_in_the_spec(probe_package: str) -> None:
    """Docstrings speak to SDK users: no `x-ocp-decision` text reaches the generated code, of
    the project's spec (which may record none) or of the probe's, which records some on a
    property and a parameter."""
    assert decisions(PROBE_SCHEMAS) and decisions(PROBE_PATHS), "is the walk blind?"
    assert leaked_decisions(SPEC.document, PACKAGE) == []
    assert leaked_decisions(probe_document(), probe_package) == []


def test_the_check_fails_for_a_spec_changed_without_regeneration(probe_package: str) -> None:
    """The probe's spec changed, its package not regenerated: each kind of drift is found.
    (The probe's, not the project's: a contract must hold whatever the project's spec holds.)"""
    document: dict[str, Any] = copy.deepcopy(probe_document())
    schemas = document["components"]["schemas"]
    probe = schemas["Probe"]
    probe["properties"]["retention"] = {"type": "integer", "description": "Days kept."}
    probe["properties"]["big"] = {"type": "string", "description": "Unbounded."}
    probe["required"].append("note")
    probe["properties"]["count"]["minimum"] = 0
    schemas["ProbeColor"]["enum"].append("BLUE")
    schemas["ProbeNote"]["properties"]["text"]["description"] = "Renamed."
    schemas["Cursor"] = {"type": "object", "properties": {"next": {"type": "string"}}}
    listing = document["paths"]["/probes"]["get"]
    listing["parameters"].append(
        {"name": "tenantId", "in": "query", "schema": {"type": "integer"}, "description": "T."}
    )
    # A default of a parameter changed too (the project shares its page size's).
    size = next(p for p in listing["parameters"] if p["name"] == "size")
    size["schema"]["default"] = 20
    changed = sm.Spec(document)
    # The probe's models and operations only: the project's are generated alike in its package,
    # and the count below must not grow with the project's spec.
    project = spec_model_of()
    problems = [
        problem
        for name in sorted(set(changed.models) - set(project.models))
        for problem in model_problems(changed, changed.models[name], probe_package)
    ]
    problems += [
        problem
        for name in sorted(set(changed.enums) - set(project.enums))
        for problem in enum_problems(changed.enums[name], probe_package)
    ]
    problems += [
        problem
        for op in changed.operations
        if op.tag == "probe"
        for problem in operation_problems(op, probe_package)
    ]
    expected = [
        "Probe: JSON properties",
        "Probe: attributes",
        "Probe.retention: no attribute retention",
        "Probe.big: annotation",
        "Probe.big: kind Integer",
        "Probe.note: required False, spec True",
        "Probe.note: default None",
        "Probe.note: annotation",
        "Probe.count: integer range",
        "ProbeColor: values",
        "ProbeNote.text: description missing",
        "Cursor: no generated class",
        "listProbes(tenantId): description missing",
        "listProbes.sync: arguments",
        "listProbes.asyncio: arguments",
        "listProbes.sync_detailed: arguments",
        "listProbes.asyncio_detailed: arguments",
        "listProbes.sync_iter: arguments",
        "listProbes.asyncio_iter: arguments",
        "listProbes: _OPERATION parameters",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected), problems
