"""Regenerate ``generated/ocp_client`` from ``openapi/ocp.yaml``: the project's one codegen step.

    python tools/generate.py          # rewrite generated/ocp_client
    python tools/generate.py --check  # exit 1, naming the files, if generated/ is stale

The step, in order:

1. Read the spec and derive the generator's input from it (``prepare_generator_input``): today
   only parameter descriptions are copied into their schemas, because openapi-python-client 0.29
   documents a parameter from its schema alone. The spec on disk is never changed.
2. Run the pinned openapi-python-client with ``tools/codegen/config.yaml`` and the template
   overrides in ``tools/codegen/templates/`` into a scratch directory. The templates also get
   ``spec_facts.jinja``, written from the spec (``spec_facts``): what they need to check a call's
   arguments and the generator's objects drop (parameter ranges, periods).
3. Place the hand-written runtime modules of ``tools/codegen/runtime/`` into the package, over the
   generator's module of the same name when there is one, plus ``py.typed``.
4. Format the tree with the project's own ruff configuration, so that output is byte-identical
   for the same inputs and passes the repo's ``ruff format --check``.
5. Compare with, or replace, ``generated/ocp_client``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from spec_refs import resolve

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "ocp.yaml"
CODEGEN = ROOT / "tools" / "codegen"
CONFIG = CODEGEN / "config.yaml"
TEMPLATES = CODEGEN / "templates"
RUNTIME = CODEGEN / "runtime"
PACKAGE_NAME = "ocp_client"
TARGET = ROOT / "generated" / PACKAGE_NAME


def reflow(markdown: str) -> str:
    """Join the hard-wrapped lines of each paragraph, as a Markdown renderer does, so that the
    generator's own word-wrap gives even docstrings. Lists and blank lines are kept."""
    paragraphs: list[str] = []
    for line in markdown.strip().splitlines():
        stripped = line.strip()
        starts_item = stripped.startswith(("- ", "* ")) or stripped.split(". ", 1)[0].isdigit()
        if paragraphs and stripped and paragraphs[-1] and not starts_item:
            paragraphs[-1] = f"{paragraphs[-1]} {stripped}"
        else:
            paragraphs.append(stripped)
    return "\n".join(paragraphs)


def prepare_generator_input(node: Any, *, in_parameter: bool = False) -> Any:
    """Return the document the generator reads, derived from the spec (which is not changed):

    - descriptions reflowed (see ``reflow``);
    - a parameter's description copied into its schema, where openapi-python-client 0.29 reads it.
    """
    if isinstance(node, list):
        return [prepare_generator_input(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {
        key: reflow(value)
        if key == "description" and isinstance(value, str)
        else prepare_generator_input(value)
        for key, value in node.items()
    }
    schema = result.get("schema")
    is_parameter = "in" in result and "description" in result
    if is_parameter and isinstance(schema, dict) and "$ref" not in schema:
        schema.setdefault("description", result["description"])
    return result


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
INTEGER_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def integer_range(schema: Mapping[str, Any]) -> dict[str, int]:
    """The ``lower``/``upper`` bounds (inclusive, each only when there is one) of an integer
    schema, from its format and its minimum and maximum, exclusive as OpenAPI 3.0 (a boolean
    beside the bound) or 3.1 (the bound itself) says."""
    lower, upper = INTEGER_FORMATS.get(schema.get("format", ""), (None, None))
    lowers: list[int] = []
    uppers: list[int] = []
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    exclusive_minimum = schema.get("exclusiveMinimum")
    exclusive_maximum = schema.get("exclusiveMaximum")
    if minimum is not None:
        lowers.append(math.floor(minimum) + 1 if exclusive_minimum is True else math.ceil(minimum))
    if maximum is not None:
        uppers.append(math.ceil(maximum) - 1 if exclusive_maximum is True else math.floor(maximum))
    if isinstance(exclusive_minimum, int | float) and not isinstance(exclusive_minimum, bool):
        lowers.append(math.floor(exclusive_minimum) + 1)
    if isinstance(exclusive_maximum, int | float) and not isinstance(exclusive_maximum, bool):
        uppers.append(math.ceil(exclusive_maximum) - 1)
    for bound in lowers:
        lower = bound if lower is None else max(lower, bound)
    for bound in uppers:
        upper = bound if upper is None else min(upper, bound)
    bounds = {"lower": lower, "upper": upper}
    return {name: bound for name, bound in bounds.items() if bound is not None}


def spec_facts(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Per operation (``"get /path"``), what the endpoint template checks a call's arguments
    against and openapi-python-client's parameter objects do not carry:

    - ``parameters``: each parameter's integer range (``integer_range``), by its spec name;
    - ``periods``: pairs of query parameters bounding one item property from both sides
      (``x-ocp-filter`` ops ``ge`` and ``le``), which OCP takes together or not at all (error
      10006) and in order (10005)."""
    operations: dict[str, Any] = {}
    for path, path_item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            declared = [*path_item.get("parameters", []), *operation.get("parameters", [])]
            parameters = [resolve(spec, parameter) for parameter in declared]
            ranges = {}
            for parameter in parameters:
                schema = resolve(spec, parameter.get("schema", {}))
                if schema.get("type") == "integer":
                    ranges[parameter["name"]] = integer_range(schema)
            filters = [(p["name"], p["x-ocp-filter"]) for p in parameters if "x-ocp-filter" in p]
            periods = [
                [start, end]
                for start, low in filters
                for end, high in filters
                if low["op"] == "ge" and high["op"] == "le" and low["property"] == high["property"]
            ]
            operations[f"{method} {path}"] = {"ranges": ranges, "periods": periods}
    return operations


def write_spec_facts(spec: dict[str, Any], templates: Path) -> None:
    """``spec_facts.jinja`` in ``templates``: one Jinja variable, ``operations``, holding
    ``spec_facts(spec)``: JSON is a Jinja literal when it holds no null, and it holds none."""
    facts = json.dumps(spec_facts(spec), indent=1, sort_keys=True)
    text = (
        f"{{# Written by tools/generate.py from the spec. #}}\n{{% set operations = {facts} %}}\n"
    )
    (templates / "spec_facts.jinja").write_text(text, encoding="utf-8")


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


def build(out_dir: Path) -> Path:
    """Generate the package into ``out_dir`` and return the package directory."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    generator_input = out_dir / "generator-input.yaml"
    generator_input.write_text(
        yaml.safe_dump(prepare_generator_input(spec), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    templates = out_dir / "templates"
    shutil.copytree(TEMPLATES, templates)
    write_spec_facts(spec, templates)
    package = out_dir / PACKAGE_NAME
    _run(
        [
            _tool("openapi-python-client"),
            "generate",
            "--path",
            str(generator_input),
            "--config",
            str(CONFIG),
            "--custom-template-path",
            str(templates),
            "--meta",
            "none",
            "--output-path",
            str(package),
            "--overwrite",
            "--fail-on-warning",
        ],
        cwd=out_dir,
    )
    for module in sorted(RUNTIME.glob("*.py")):
        shutil.copyfile(module, package / module.name)
    (package / "py.typed").write_text("# Marker file for PEP 561\n", encoding="utf-8")

    ruff = _tool("ruff")
    config = ["--config", str(ROOT / "pyproject.toml"), "--no-cache"]
    fixes = ["--fix-only", "--select", "I,F401,UP", "--exit-zero"]
    _run([ruff, "check", *config, *fixes, "."], package)
    _run([ruff, "format", *config, "."], package)
    return package


def _files(tree: Path) -> set[str]:
    return {
        p.relative_to(tree).as_posix()
        for p in tree.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def differences(fresh: Path, committed: Path) -> list[tuple[str, str]]:
    """``(file, change)`` for each file where ``committed`` differs from ``fresh``, sorted."""
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
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if generated/ differs from what generation produces",
    )
    args = parser.parse_args(argv)
    # The generator and ruff must come from the pinned venv, not from whatever is on PATH.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    with tempfile.TemporaryDirectory(prefix="ocp-codegen-") as scratch:
        fresh = build(Path(scratch))
        changes = differences(fresh, TARGET)
        count = len(_files(fresh))
        if not changes:
            print(f"generated/{PACKAGE_NAME} is up to date ({count} files)")
            return 0
        listing = "\n".join(
            f"  generated/{PACKAGE_NAME}/{name} ({change})" for name, change in changes
        )
        if args.check:
            print(
                "generated/ differs from what tools/generate.py produces from openapi/ and tools/;"
                f" run `python tools/generate.py` and commit the result:\n{listing}",
                file=sys.stderr,
            )
            return 1
        shutil.rmtree(TARGET, ignore_errors=True)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, TARGET)
        print(f"{listing}\ngenerated/{PACKAGE_NAME} rewritten ({len(changes)} of {count} files)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
