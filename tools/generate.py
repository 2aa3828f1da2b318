"""Regenerate the generated part of ``generated/ocp_client`` from ``openapi/ocp.yaml``: the
project's one codegen step.

    python tools/generate.py          # rewrite generated/ocp_client/{api,models}
    python tools/generate.py --check  # exit 1, naming the files, if they are stale
    python tools/generate.py --spec S --output DIR   # generate another spec elsewhere

The generator owns exactly two directories of the package, ``api/`` (one module per operation,
grouped by tag) and ``models/`` (one module per schema); every other module of the package is
hand-written runtime that the generated code calls, and the generator never writes there. The
step, in order:

1. Read the spec into the project's one model of it (``tools/spec_model.py``), which refuses,
   naming the operation or schema and the reason, anything it cannot serve fully: the step then
   exits 2 and writes nothing.
2. Compute, per model, enum and operation, the facts the templates print (Python names, type
   annotations, the runtime kinds that check each value, docstrings) — the templates in
   ``tools/codegen/templates/`` only lay them out.
3. Render, format with the project's own ruff configuration (so that output is byte-identical for
   the same inputs and passes ``ruff format --check``), then compare with or replace the two
   directories.

Why not openapi-python-client (used up to 0.1): every one of its templates had been overridden,
its objects drop what the checks need (integer ranges, periods, the page's item), it has no
generic types (each list got its own page and envelope classes), and its output for 200 list
operations was 259k lines in 57 s (now about 59k lines in 2 s: tests/bench/bench_scale.py). What
it did that is kept: one module per operation with ``sync``/``asyncio``/``*_detailed``, attrs
models with ``from_dict``/``to_dict``, ruff-formatted output.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

import spec_model as sm

ROOT = Path(__file__).resolve().parent.parent
SPEC = sm.DEFAULT_SPEC
TEMPLATES = ROOT / "tools" / "codegen" / "templates"
PACKAGE_NAME = "ocp_client"
PACKAGE = ROOT / "generated" / PACKAGE_NAME
OWNED = ("api", "models")
"""The directories of the package the generator writes; everything else is hand-written."""
RUNTIME_SCHEMAS = frozenset({sm.PAGE})
"""Schemas the runtime implements generically (``ocp_client.Page``) instead of a model."""
REQUIRED_SCHEMAS = ("ResponseEnvelope", "ErrorResponse", "PageInfo")
"""Schemas the runtime reads by name: every answer's envelope, errors, page information."""
WIDTH = 96
MAX_PAGE_SIZE = 2000
"""The most items OCP serves a page (``ocp_client._pagination.MAX_PAGE_SIZE``)."""


# --- facts -------------------------------------------------------------------------------------


@dataclass
class Imports:
    """What a generated module imports: at run time, and for type checkers only."""

    runtime: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)


def annotation(kind: sm.Type, imports: Imports, *, in_models: bool = False) -> str:
    """The Python type of values of ``kind``, in a module of ``models/`` or of ``api/``."""
    if isinstance(kind, sm.IntegerType):
        return "int"
    if isinstance(kind, sm.NumberType):
        return "float"
    if isinstance(kind, sm.StringType):
        return "str"
    if isinstance(kind, sm.BooleanType):
        return "bool"
    if isinstance(kind, sm.DateTimeType):
        imports.runtime.add("import datetime")
        return "datetime.datetime"
    if isinstance(kind, sm.DateType):
        imports.runtime.add("import datetime")
        return "datetime.date"
    if isinstance(kind, sm.EnumType):
        imports.runtime.add(_model_import(kind.name, in_models))
        return f"{kind.name} | str" if kind.open else kind.name
    if isinstance(kind, sm.ArrayType):
        return f"list[{annotation(kind.items, imports, in_models=in_models)}]"
    if isinstance(kind, sm.MapType):
        return f"dict[str, {annotation(kind.values, imports, in_models=in_models)}]"
    if isinstance(kind, sm.ModelType):
        imports.typing.add(_model_import(kind.name, in_models))
        return kind.name
    imports.runtime.add("from typing import Any")
    return "Any"


def kind_expression(kind: sm.Type, imports: Imports, *, in_models: bool = False) -> str:
    """The runtime kind (``ocp_client._kinds``) that checks values of ``kind``."""
    if isinstance(kind, sm.IntegerType):
        named: dict[tuple[int | None, int | None], str] = {
            (-(2**63), 2**63 - 1): "_k.INT64",
            (-(2**31), 2**31 - 1): "_k.INT32",
        }
        return named.get((kind.lower, kind.upper), f"_k.Integer({kind.lower}, {kind.upper})")
    if isinstance(kind, sm.NumberType):
        return f"_k.Number({kind.lower}, {kind.upper})"
    if isinstance(kind, sm.StringType) and (
        kind.min_length or kind.max_length is not None or kind.pattern is not None
    ):
        return f"_k.String({kind.min_length}, {kind.max_length}, {kind.pattern!r})"
    simple = {
        sm.StringType: "_k.String()",
        sm.BooleanType: "_k.Boolean()",
        sm.DateTimeType: "_k.DateTime()",
        sm.DateType: "_k.Date()",
        sm.AnyType: "_k.Any_()",
    }
    if type(kind) in simple:
        return simple[type(kind)]
    if isinstance(kind, sm.EnumType):
        imports.runtime.add(_model_import(kind.name, in_models))
        return f"_k.Enum({kind.name}, open={kind.open})"
    if isinstance(kind, sm.ArrayType):
        return f"_k.Array({kind_expression(kind.items, imports, in_models=in_models)})"
    if isinstance(kind, sm.MapType):
        return f"_k.Map({kind_expression(kind.values, imports, in_models=in_models)})"
    assert isinstance(kind, sm.ModelType)
    return f'_k.Object(".models.{sm.snake(kind.name)}", "{kind.name}")'


def _model_import(name: str, in_models: bool) -> str:
    package = "." if in_models else "...models."
    return f"from {package}{sm.snake(name)} import {name}"


_LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.) ")


def docstring(text: str, indent: int = 0, first: int = 0) -> str:
    """A docstring body: the spec's Markdown, safe inside triple quotes, its paragraphs and list
    items rewrapped to the width left by ``indent`` (``first``: columns the first line already
    uses, as ``name: `` of an Args entry)."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    if text.endswith('"') and not text.endswith('\\"'):  # would run into the closing quotes
        text = f'{text[:-1]}\\"'
    width = WIDTH - indent
    paragraphs: list[str] = []
    for paragraph in text.split("\n\n"):
        # Lines before the first list marker are the paragraph's text; a line that starts with
        # a marker starts an item, and the lines after it, up to the next marker, continue it.
        blocks: list[list[str]] = []
        for line in paragraph.splitlines():
            if not blocks or _LIST_ITEM.match(line):
                blocks.append([])
            blocks[-1].append(line.strip())
        lines: list[str] = []
        for block in blocks:
            marker = _LIST_ITEM.match(block[0])
            hanging = " " * (len(marker.group(0).strip()) + 1) if marker else ""
            lines.append(
                textwrap.fill(
                    " ".join(block),
                    width,
                    initial_indent=" " * (first if not paragraphs and not lines else 0),
                    subsequent_indent=hanging,
                    break_long_words=False,
                    break_on_hyphens=False,
                ).lstrip()
            )
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def model_facts(model: sm.Model) -> dict[str, Any]:
    imports = Imports()
    properties = []
    for prop in sorted(model.properties, key=lambda p: not p.required):
        expression = kind_expression(prop.type, imports, in_models=True)
        hint = annotation(prop.type, imports, in_models=True)
        properties.append(
            {
                "py_name": prop.py_name,
                "json_name": prop.json_name,
                "annotation": hint if prop.required else f"{hint} | None",
                "default": "" if prop.required else " = None",
                "kind": expression,
                "required": prop.required,
                "doc": docstring(prop.description, 4) or f"The spec's ``{prop.json_name}``.",
            }
        )
    return {
        "name": model.name,
        "doc": docstring(model.description, 4) or f"The spec's ``{model.name}``.",
        "properties": properties,
        "additional": model.additional,
        "imports": sorted(imports.runtime),
        # A model that refers to itself needs no import of itself.
        "typing_imports": sorted(i for i in imports.typing if not i.endswith(f" {model.name}")),
    }


def enum_facts(enum: sm.Enum) -> dict[str, Any]:
    members = []
    names: set[str] = set()
    for value in enum.values:
        name = (
            sm.snake(str(value)).upper().strip("_")
            if isinstance(value, str)
            else f"VALUE_MINUS_{-value}"
            if value < 0
            else f"VALUE_{value}"
        )
        if not name or not name[0].isalpha():
            name = f"VALUE_{name}"
        if name in names:
            raise sm.SpecError(f"components.schemas.{enum.name}: two values become member {name}")
        names.add(name)
        members.append({"name": name, "value": repr(value)})
    return {
        "name": enum.name,
        "doc": docstring(enum.description, 4) or f"The spec's ``{enum.name}``.",
        "base": "StrEnum" if isinstance(enum.values[0], str) else "IntEnum",
        "members": members,
    }


def default_expression(parameter: sm.Parameter) -> str:
    """The Python expression of a parameter's default (a closed enum's as its member)."""
    kind = parameter.type
    if isinstance(kind, sm.EnumType) and not kind.open:
        return f"{kind.name}({parameter.default!r})"
    return repr(parameter.default)


def walk_facts(op: sm.Operation) -> tuple[str, str]:
    """The default page size of a paginated operation's ``sync_iter`` (the most OCP serves, or
    less when the spec's ``size`` says so) and the docstring that says how the walk goes."""
    size = op.parameter("size", "query")
    assert size is not None and isinstance(size.type, sm.IntegerType)  # spec_model checks it
    upper = size.type.upper
    if upper is None or upper >= MAX_PAGE_SIZE:
        iter_size, largest = "MAX_PAGE_SIZE", f"{MAX_PAGE_SIZE}, the most OCP serves a page"
    else:
        iter_size, largest = str(upper), f"{upper}, the most the spec allows"
    item_id = op.result.item_id
    if item_id is not None:
        once = f", each ``{item_id.json_name}`` once"
        shifted = (
            "an item seen before, shifted onto the next page by changes during the walk, is skipped"
        )
    else:
        once = ""
        shifted = "items have no id in the spec (``x-ocp-item-id``), so nothing is skipped: one"
        shifted += " shifted onto the next page by changes during the walk comes twice"
    doc = docstring(
        f"Every item of every page, in order{once}: pages of ``size`` items (default:"
        f" {largest}), up to ``concurrency`` at once by worker threads once their number is"
        f" known. Not a snapshot: {shifted}. Failed pages are asked again (``walk_retry``);"
        " ``error.walk.resume()`` continues a walk that failed. Otherwise as :func:`sync`.",
        4,
        3,
    )
    return iter_size, doc


def operation_facts(op: sm.Operation) -> dict[str, Any]:
    imports = Imports()
    paging = op.result.shape == "page"
    arguments = []  # in signature order: path parameters, then query parameters
    positional = [p for p in op.parameters if p.location == "path"]
    keyword = [p for p in op.parameters if p.location == "query"]
    keyword.sort(key=lambda p: (paging and p.name in ("page", "size"), not p.required))
    for parameter in [*positional, *keyword]:
        hint = annotation(parameter.type, imports)
        if parameter.default is not None:
            default = f" = {default_expression(parameter)}"
        elif parameter.required:
            default = ""
        else:
            hint, default = f"{hint} | None", " = None"
        description = parameter.description or f"The spec's ``{parameter.name}``."
        arguments.append(
            {
                "py_name": parameter.py_name,
                "annotation": hint,
                "default": default,
                "positional": parameter.location == "path",
                "doc": docstring(description, 12, len(parameter.py_name) + 2),
                "paging": paging and parameter.name in ("page", "size"),
            }
        )
    kinds = [
        {
            "py_name": p.py_name,
            "name": p.name,
            "location": p.location,
            "kind": kind_expression(p.type, imports),
            "required": p.required,
        }
        for p in op.parameters
    ]
    body = None
    if op.body is not None:
        # Only in annotations: the runtime imports the model when a call checks a body.
        imports.typing.add(_model_import(op.body.type.name, in_models=False))
        body = {
            "name": op.body.type.name,
            "module": sm.snake(op.body.type.name),
            "required": op.body.required,
            "doc": docstring(op.body.description or f"The {op.body.type.name} to send.", 12, 6),
        }
    result = op.result
    item_annotation = None
    data_kind = "None"
    exports = ["asyncio", "asyncio_detailed", "sync", "sync_detailed"]
    iter_size, iter_doc = None, ""
    if result.shape == "page":
        assert result.item is not None
        item_annotation = annotation(result.item, imports)
        imports.runtime.add("from ...types import Page")
        returns = f"Page[{item_annotation}]"
        data_kind = kind_expression(result.item, imports)
        exports += ["asyncio_iter", "sync_iter"]
        iter_size, iter_doc = walk_facts(op)
    elif result.shape == "none":
        returns = "None"
    else:
        assert result.data is not None
        returns = annotation(result.data, imports)
        data_kind = kind_expression(result.data, imports)
    return {
        "id": op.id,
        "module": op.module,
        "exports": sorted(exports),
        "iter_doc": iter_doc,
        "method": op.method,
        "path": op.path,
        "summary": docstring(op.summary.rstrip("."), 0),
        "doc": docstring(op.description, 0),
        "arguments": arguments,
        "kinds": kinds,
        "periods": [(start.py_name, end.py_name) for start, end in op.periods],
        "body": body,
        "shape": result.shape,
        "framing": result.framing,
        "idempotent": op.idempotent,
        "returns": returns,
        "returns_doc": docstring(result.description, 8),
        "data_kind": data_kind,
        "item": item_annotation,
        "item_id": result.item_id.py_name if result.item_id is not None else None,
        "item_id_json": result.item_id.json_name if result.item_id is not None else None,
        "iter_size": iter_size,
        "imports": sorted(imports.runtime),
        "typing_imports": sorted(imports.typing - imports.runtime),
    }


# --- rendering ---------------------------------------------------------------------------------


def render(spec: sm.Spec, package: Path) -> None:
    """Write ``api/`` and ``models/`` of ``spec`` into ``package``."""
    for name in REQUIRED_SCHEMAS:
        if name not in spec.models:
            raise sm.SpecError(f"components.schemas.{name}: the runtime needs this schema")
    page_info = spec.models["PageInfo"]
    for name in ("number", "size", "totalElements", "totalPages"):
        prop = next((p for p in page_info.properties if p.json_name == name), None)
        if prop is None or not prop.required or not isinstance(prop.type, sm.IntegerType):
            raise sm.SpecError(f"components.schemas.PageInfo: needs the required integer {name}")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    models_dir = package / "models"
    models_dir.mkdir(parents=True)
    exports: dict[str, str] = {}
    model_template = environment.get_template("model.py.jinja")
    for model in spec.models.values():
        if model.name in RUNTIME_SCHEMAS:
            continue
        module = sm.snake(model.name)
        text = model_template.render(model=model_facts(model))
        (models_dir / f"{module}.py").write_text(text, encoding="utf-8")
        exports[model.name] = module
    enum_template = environment.get_template("enum.py.jinja")
    for enum in spec.enums.values():
        module = sm.snake(enum.name)
        (models_dir / f"{module}.py").write_text(
            enum_template.render(enum=enum_facts(enum)), encoding="utf-8"
        )
        exports[enum.name] = module
    init_template = environment.get_template("lazy_init.py.jinja")
    (models_dir / "__init__.py").write_text(
        init_template.render(
            doc="The models of the spec's schemas, one module each (imported on first use).",
            exports=sorted(exports.items()),
            submodules=False,
        ),
        encoding="utf-8",
    )
    api_dir = package / "api"
    api_dir.mkdir()
    operation_template = environment.get_template("operation.py.jinja")
    tags = spec.tags
    for tag, operations in sorted(tags.items()):
        tag_dir = api_dir / tag
        tag_dir.mkdir()
        for op in operations:
            (tag_dir / f"{op.module}.py").write_text(
                operation_template.render(op=operation_facts(op)), encoding="utf-8"
            )
        (tag_dir / "__init__.py").write_text(
            init_template.render(
                doc=f"The operations tagged ``{tag}``, one module each (imported on first use).",
                exports=[(op.module, op.module) for op in operations],
                submodules=True,
            ),
            encoding="utf-8",
        )
    (api_dir / "__init__.py").write_text(
        init_template.render(
            doc="The operations of the spec, grouped by tag (imported on first use).",
            exports=[(tag, tag) for tag in sorted(tags)],
            submodules=True,
        ),
        encoding="utf-8",
    )


def _tool(name: str) -> str:
    """A tool from the interpreter's own environment (the venv), whatever PATH says."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"generate: {name} is not installed; run the README's set-up command")
    return found


def _run(args: list[str], cwd: Path) -> None:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = result.stdout + result.stderr
        raise SystemExit(f"generate: {' '.join(args)} failed ({result.returncode}):\n{output}")


def build(spec: sm.Spec, out_dir: Path) -> Path:
    """Generate the owned directories of the package into ``out_dir``; returns the package dir."""
    package = out_dir / PACKAGE_NAME
    render(spec, package)
    ruff = _tool("ruff")
    config = ["--config", str(ROOT / "pyproject.toml"), "--no-cache"]
    fixes = ["--fix-only", "--select", "I,F401", "--exit-zero"]
    _run([ruff, "check", *config, *fixes, *OWNED], package)
    _run([ruff, "format", *config, *OWNED], package)
    for path in sorted(package.rglob("*.py")):
        try:  # a name or text the templates did not expect must not ship as broken code
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        except SyntaxError as error:
            raise SystemExit(
                f"generate: {path.relative_to(package)} is not valid Python ({error.msg}, line"
                f" {error.lineno}): a template cannot serve what the spec says there"
            ) from None
    return package


def _files(tree: Path) -> set[str]:
    return {
        p.relative_to(tree).as_posix()
        for directory in OWNED
        for p in (tree / directory).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def differences(fresh: Path, committed: Path) -> list[tuple[str, str]]:
    """``(file, change)`` for each owned file where ``committed`` differs from ``fresh``."""
    want, have = _files(fresh), _files(committed)
    changes = [(name, "new") for name in want - have]
    changes += [(name, "obsolete") for name in have - want]
    changes += [
        (name, "changed")
        for name in want & have
        if not filecmp.cmp(fresh / name, committed / name, shallow=False)
    ]
    return sorted(changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if generated/ is stale")
    parser.add_argument("--spec", type=Path, default=SPEC, help="the spec (openapi/ocp.yaml)")
    parser.add_argument(
        "--output", type=Path, default=PACKAGE, help="the package directory to write"
    )
    args = parser.parse_args(argv)
    try:
        spec = sm.load(args.spec)
    except sm.SpecError as error:
        print(f"generate: {args.spec}: {error}", file=sys.stderr)
        return 2
    target: Path = args.output
    with tempfile.TemporaryDirectory(prefix="ocp-codegen-") as scratch:
        try:
            fresh = build(spec, Path(scratch))
        except sm.SpecError as error:
            print(f"generate: {args.spec}: {error}", file=sys.stderr)
            return 2
        changes = differences(fresh, target)
        count = len(_files(fresh))
        label = os.path.relpath(target, ROOT) if target.is_relative_to(ROOT) else str(target)
        if not changes:
            print(f"{label} is up to date ({count} generated files)")
            return 0
        listing = "\n".join(f"  {label}/{name} ({change})" for name, change in changes)
        if args.check:
            print(
                f"{label} differs from what tools/generate.py produces from the spec;"
                f" run `python tools/generate.py` and commit the result:\n{listing}",
                file=sys.stderr,
            )
            return 1
        for directory in OWNED:
            shutil.rmtree(target / directory, ignore_errors=True)
            shutil.copytree(fresh / directory, target / directory)
        print(f"{listing}\n{label} rewritten ({len(changes)} of {count} generated files)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
