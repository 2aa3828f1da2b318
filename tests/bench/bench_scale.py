"""Benchmark: the codegen step and the SDK at the size of OCP's whole API (about 160 operations).

    .venv/bin/python tests/bench/bench_scale.py [--ops 1 50 200] [--repeat N] [--no-contract]
        [--template OPERATION_ID]

For each count, a spec of that many paginated operations is synthesized from
``openapi/ocp.yaml``: a paginated operation of the spec (its first, or ``--template``'s; the
contract tests must hold whichever it is), plus copies of it, each with its
own path, operationId, tag (ten tags, as OCP groups its API) and item schema (a copy of the
operation's item, cut to 18 properties of mixed types: integers, strings, OCP times, open enums,
an array), renamed. Then:

- codegen: the wall time of ``tools/generate.py --spec S --output DIR`` as a command;
- generated lines and bytes per paginated operation: its ``api/`` module plus its own item model
  (the most of any copy), and everything generated divided by the operations;
- imports, in fresh interpreters whose ``ocp_client`` is the synthesized package (best of
  ``--repeat``, interleaved, minus a bare interpreter's start): ``import httpx``,
  ``import ocp_client``, and one operation's module;
- contract tests: ``pytest tests/contract`` in a scratch copy of the project whose spec and
  package are the synthesized ones, so every operation of the spec gets its checks; the copy
  keeps only the vendor samples (tests/samples/) of operations the synthesized spec has, as the
  spec keeps only the components its operations use. The contract tests must hold for any spec
  the codegen accepts: a failing one is listed, and the benchmark exits with status 1.

And once, for the package as it is: ``ocp-backup --help`` against ``import httpx``.

Targets at 200 operations (issue 11): codegen at most 10 s; at most 300 lines per paginated
operation; ``import ocp_client`` at most 1.3x ``import httpx`` and flat in the number of
operations; ``ocp-backup --help`` at most 1.5x ``import httpx``; every contract test passes.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import spec_model  # noqa: E402 (after the path insert)

RUNTIME = ROOT / "generated" / "ocp_client"
ITEM_PROPERTIES = 18
TAGS = 10
CONTRACT_TIMEOUT = 1800
COUNTS = (1, 50, 200)
TARGETS = {"codegen_s": 10.0, "lines": 300, "import_ratio": 1.3, "cli_ratio": 1.5}


# --- the synthesized spec ----------------------------------------------------------------------


def template_of(
    spec: spec_model.Spec, operation_id: str | None = None
) -> tuple[spec_model.Operation, str]:
    """The spec's first paginated operation whose items are a named model (or the operation
    ``operation_id``, which must be one), and that model."""
    for op in spec.operations:
        item = op.result.item
        if operation_id not in (None, op.id):
            continue
        if op.result.shape == "page" and isinstance(item, spec_model.ModelType):
            return op, item.name
    if operation_id is not None:
        raise SystemExit(f"bench_scale: {operation_id} is no paginated operation with a model item")
    raise SystemExit("bench_scale: the spec has no paginated operation with a model item")


def _renamed(node: Any, old: str, new: str) -> Any:
    """``node`` with every reference to schema ``old`` pointing to ``new``."""
    if isinstance(node, dict):
        if node.get("$ref") == f"{spec_model.SCHEMAS_PREFIX}{old}":
            return {**node, "$ref": f"{spec_model.SCHEMAS_PREFIX}{new}"}
        return {key: _renamed(value, old, new) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed(value, old, new) for value in node]
    return node


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _keep_used_components(document: dict[str, Any]) -> None:
    """Drop the components that the paths do not reach (security schemes stay)."""
    components = document.get("components", {})
    used: set[str] = set()
    pending = list(_refs(document["paths"]))
    while pending:  # bounded: each reference is followed once
        ref = pending.pop()
        if ref in used or not ref.startswith("#/components/"):
            continue
        used.add(ref)
        _, _, section, name = ref.split("/", 3)
        pending.extend(_refs(components.get(section, {}).get(name, {})))
    for section, entries in components.items():
        if section != "securitySchemes" and isinstance(entries, dict):
            components[section] = {
                name: entry
                for name, entry in entries.items()
                if f"#/components/{section}/{name}" in used
            }


def synthesize(
    count: int, template_id: str | None = None
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """A spec of ``count`` paginated operations, copies of :func:`template_of`'s, and
    ``(tag, module, item module)`` of each."""
    spec = spec_model.load()
    document: dict[str, Any] = copy.deepcopy(dict(spec.document))
    template, item_name = template_of(spec, template_id)
    item = copy.deepcopy(document["components"]["schemas"][item_name])
    properties = item["properties"]
    # Kept first: the required properties and those the operation's parameters filter on.
    filtered = {p.filter.property for p in template.parameters if p.filter is not None}
    first = [name for name in properties if name in item.get("required", []) or name in filtered]
    kept = [*first, *(name for name in properties if name not in first)]
    kept = kept[: max(ITEM_PROPERTIES, len(first))]
    item["properties"] = {name: properties[name] for name in kept}
    item.pop("x-ocp-decision", None)
    raw = document["paths"][template.path][template.method.lower()]
    # The template operation alone, and only what it uses: the spec's other operations are
    # not the ones measured (their models would count in the lines, their examples unused).
    document["paths"] = {template.path: {template.method.lower(): raw}}
    _keep_used_components(document)
    operations = [(template.tag, template.module, spec_model.snake(item_name))]
    for index in range(1, count):
        name = f"{item_name}{index}"
        schema = copy.deepcopy(item)
        schema["description"] = f"{schema.get('description', '').strip()} (Copy {index}.)"
        document["components"]["schemas"][name] = schema
        op = _renamed(copy.deepcopy(raw), item_name, name)
        op["operationId"] = f"{template.id}{index}"
        op["tags"] = [f"{template.tag}{index % TAGS}"]
        for response in op.get("responses", {}).values():
            for media in response.get("content", {}).values():
                media.pop("examples", None)  # the examples answer the template operation
        document["paths"][f"{template.path}{index}"] = {template.method.lower(): op}
        operations.append(
            (
                f"{template.tag}{index % TAGS}",
                spec_model.snake(op["operationId"]),
                spec_model.snake(name),
            )
        )
    declared = {tag["name"] for tag in document.get("tags", [])}
    for tag in sorted({tag for tag, _, _ in operations} - declared):
        document.setdefault("tags", []).append({"name": tag, "description": "Copies."})
    return document, operations


def package(document: Mapping[str, Any], directory: Path) -> tuple[Path, float]:
    """Generate ``document`` into ``directory/ocp_client`` beside a copy of the hand-written
    runtime, with tools/generate.py as a command; the package and the seconds it took."""
    directory.mkdir(parents=True, exist_ok=True)
    spec = directory / "spec.yaml"
    spec.write_text(dump(document), encoding="utf-8")
    target = directory / "ocp_client"
    target.mkdir(parents=True)
    for module in [*RUNTIME.glob("*.py"), RUNTIME / "py.typed"]:
        shutil.copy2(module, target)
    command = [sys.executable, str(ROOT / "tools" / "generate.py"), "--spec", str(spec)]
    start = time.perf_counter()
    subprocess.run(
        [*command, "--output", str(target)], check=True, capture_output=True, timeout=600
    )
    return target, time.perf_counter() - start


def dump(document: Mapping[str, Any]) -> str:
    """YAML text of a spec (libyaml's emitter when PyYAML has it: a 200-operation spec takes
    seconds with the pure-Python one)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(dict(document), Dumper=dumper, sort_keys=False, allow_unicode=True)


def _size(files: Sequence[Path]) -> tuple[int, int]:
    texts = [f.read_bytes() for f in files]
    return sum(t.count(b"\n") for t in texts), sum(len(t) for t in texts)


# --- timings in fresh interpreters -------------------------------------------------------------


def start_times(
    commands: Mapping[str, Sequence[str]], repeat: int, env: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Best wall time, in ms, of each command in a fresh process, round after round so that a
    machine that slows down for a while slows all of them alike."""
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, timeout=120, env=env)
            best[name] = min(best[name], (time.perf_counter() - start) * 1000)
    return best


def import_times(
    modules: Sequence[str], repeat: int, pythonpath: Path | None = None
) -> dict[str, float]:
    """Milliseconds to import each module in a fresh interpreter, a bare start subtracted. With
    ``pythonpath``, its ``ocp_client`` is the one imported (it comes before the editable
    install's path entry)."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    commands = {"": [sys.executable, "-c", "pass"]}
    commands |= {m: [sys.executable, "-c", f"import {m}"] for m in modules}
    best = start_times(commands, repeat, env)
    return {m: best[m] - best[""] for m in modules}


def cli_help_time(repeat: int) -> tuple[float, float]:
    """(``ocp-backup --help``, ``import httpx``) in ms, a bare start subtracted from each."""
    script = Path(sys.executable).parent / "ocp-backup"
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "ocp_client.cli"]
    best = start_times(
        {"": [sys.executable, "-c", "pass"], "cli": [*cli, "--help"],
         "httpx": [sys.executable, "-c", "import httpx"]},
        repeat,
    )  # fmt: skip
    return best["cli"] - best[""], best["httpx"] - best[""]


# --- contract tests ----------------------------------------------------------------------------


@dataclass
class Contract:
    """What ``pytest tests/contract`` did over a synthesized spec."""

    seconds: float
    passed: int
    failures: list[str]
    """``test id: first line of its message``, for each test that failed or errored."""
    problem: str | None = None
    """Why there is no complete result (a timeout, pytest's own error), or None."""

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.failures

    @property
    def summary(self) -> str:
        if self.problem is not None:
            return f"{self.passed} passed, {len(self.failures)} failed; {self.problem}"
        return f"{self.passed} passed, {len(self.failures)} failed"


def sample_operation_id(name: str) -> str:
    """The operationId a file under tests/samples/ answers, from its name (the rule of
    tests/conftest.py's ``sample_operation_id``: ``back-up-now.page-sample.json``, backUpNow)."""
    words = name.split(".", 1)[0].split("-")
    return words[0] + "".join(word[:1].upper() + word[1:] for word in words[1:])


def drop_foreign_samples(samples: Path, document: Mapping[str, Any]) -> list[Path]:
    """Remove the files under ``samples`` that answer an operation ``document`` does not have;
    the files removed. The samples are the vendor's answers of the project's operations: a
    synthesized spec leaves most of those operations out, and their samples go with them."""
    ids = {
        op["operationId"]
        for item in document.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    foreign = [
        f
        for f in sorted(samples.rglob("*"))
        if f.is_file() and sample_operation_id(f.name) not in ids
    ]
    for file in foreign:
        file.unlink()
    return foreign


def project_copy(
    document: Mapping[str, Any], built: Path, scratch: Path
) -> tuple[Path, dict[str, str]]:
    """A copy of the project (tools, tests, openapi) whose ``openapi/ocp.yaml`` is ``document``,
    whose samples are those of ``document``'s operations and whose package is ``built``; and the
    environment that imports that package as ``ocp_client`` (first on the path, before the
    editable install's entry)."""
    tree = scratch / "project"
    ignore = shutil.ignore_patterns("node_modules", "__pycache__", ".hypothesis")
    for part in ("tools", "tests", "openapi"):
        shutil.copytree(ROOT / part, tree / part, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", tree)
    (tree / "openapi" / "ocp.yaml").write_text(dump(document), encoding="utf-8")
    drop_foreign_samples(tree / "tests" / "samples", document)
    shutil.copytree(built, tree / "generated" / "ocp_client", ignore=ignore)
    return tree, {**os.environ, "PYTHONPATH": str(tree / "generated")}


def read_junit(report: Path) -> tuple[int, list[str]]:
    """(tests passed, ``id: message`` of each failed or errored test) of a JUnit XML report."""
    passed, failures = 0, []
    for case in ET.parse(report).getroot().iter("testcase"):
        test = f"{case.get('classname', '')}::{case.get('name', '')}"
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is not None:
            message = (bad.get("message") or bad.text or "").strip().splitlines()
            failures.append(f"{test}: {message[0] if message else bad.tag}")
        elif case.find("skipped") is None:
            passed += 1
    return passed, failures


def contract_tests(document: Mapping[str, Any], built: Path, scratch: Path) -> Contract:
    """``pytest tests/contract`` in a :func:`project_copy`: the seconds, and every test that
    failed (read from pytest's JUnit XML report, not from its console)."""
    tree, env = project_copy(document, built, scratch)
    report = scratch / "contract.xml"
    command = [
        sys.executable, "-m", "pytest", "tests/contract", "-q", "-p", "no:cacheprovider",
        f"--junitxml={report}",
    ]  # fmt: skip
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=tree, env=env, capture_output=True, text=True,
            timeout=CONTRACT_TIMEOUT, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        seconds = time.perf_counter() - start
        return Contract(seconds, 0, [], f"stopped after {CONTRACT_TIMEOUT} s")
    seconds = time.perf_counter() - start
    if not report.exists():  # pytest stopped before running anything: say what it said
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        return Contract(seconds, 0, [], f"pytest exited {done.returncode}: {' / '.join(tail)}")
    passed, failures = read_junit(report)
    # Exit 1 is "some tests failed", which the report lists; any other error is pytest's own.
    problem = None if done.returncode in (0, 1) else f"pytest exited {done.returncode}"
    if done.returncode == 1 and not failures:
        problem = "pytest exited 1 with no failed test in its report"
    return Contract(seconds, passed, failures, problem)


# --- one scale ---------------------------------------------------------------------------------


@dataclass
class Scale:
    operations: int
    codegen_s: float
    lines: int
    """The most generated lines of one paginated operation: its module and its item model."""
    bytes: int
    lines_total: int
    """Everything generated (api/ and models/), in lines."""
    import_httpx_ms: float
    import_ocp_ms: float
    import_operation_ms: float
    contract: Contract | None


def measure(
    count: int, repeat: int, contract: bool, scratch: Path, template: str | None = None
) -> Scale:
    document, operations = synthesize(count, template)
    built, seconds = package(document, scratch / "sdk")
    sizes = [
        _size([built / "api" / tag / f"{module}.py", built / "models" / f"{item}.py"])
        for tag, module, item in operations
    ]
    generated = [p for d in ("api", "models") for p in (built / d).rglob("*.py")]
    tag, module, _ = operations[-1]
    operation = f"ocp_client.api.{tag}.{module}"
    imports = import_times(["httpx", "ocp_client", operation], repeat, built.parent)
    return Scale(
        operations=count,
        codegen_s=seconds,
        lines=max(lines for lines, _ in sizes),
        bytes=max(size for _, size in sizes),
        lines_total=_size(generated)[0],
        import_httpx_ms=imports["httpx"],
        import_ocp_ms=imports["ocp_client"],
        import_operation_ms=imports[operation],
        contract=contract_tests(document, built, scratch) if contract else None,
    )


def run(
    counts: Sequence[int] = COUNTS,
    repeat: int = 7,
    contract: bool = True,
    template: str | None = None,
) -> Iterator[Scale]:
    """One :class:`Scale` per count, measured in a scratch directory of its own."""
    for count in counts:
        with tempfile.TemporaryDirectory(prefix=f"ocp-bench-scale-{count}-") as scratch:
            yield measure(count, repeat, contract, Path(scratch), template)


def rows(scales: Sequence[Scale], cli: tuple[float, float] | None) -> list[tuple[str, str, str]]:
    """(benchmark, result, ratio) rows, as run_all.py's table has them."""
    result: list[tuple[str, str, str]] = []
    first = scales[0] if scales else None
    for s in scales:
        n = f"{s.operations} paginated op{'s' if s.operations != 1 else ''}"
        httpx_ratio = s.import_ocp_ms / s.import_httpx_ms
        flat = ""
        if first is not None and s is not first:
            flat = f", {s.import_ocp_ms / first.import_ocp_ms:.2f}x of {first.operations} op(s)"
        result += [
            (f"{n}: codegen (tools/generate.py)", f"{s.codegen_s:.2f} s", ""),
            (f"{n}: generated lines per op (module + item model)", f"{s.lines}",
             f"{s.bytes / 1024:.1f} KiB"),
            (f"{n}: generated lines in all", f"{s.lines_total}",
             f"{s.lines_total / s.operations:.0f} per op"),
            (f"{n}: import httpx", f"{s.import_httpx_ms:.0f} ms", ""),
            (f"{n}: import ocp_client", f"{s.import_ocp_ms:.0f} ms",
             f"{httpx_ratio:.2f}x httpx{flat}"),
            (f"{n}: import one operation's module", f"{s.import_operation_ms:.0f} ms",
             f"{s.import_operation_ms / s.import_httpx_ms:.2f}x httpx"),
        ]  # fmt: skip
        if s.contract is not None:
            result.append(
                (f"{n}: contract tests (pytest tests/contract)", f"{s.contract.seconds:.1f} s",
                 s.contract.summary)
            )  # fmt: skip
    if cli is not None:
        result.append(("ocp-backup --help", f"{cli[0]:.0f} ms", f"{cli[0] / cli[1]:.2f}x httpx"))
    return result


def verdicts(scales: Sequence[Scale], cli: tuple[float, float] | None) -> list[str]:
    """Each target of the issue, met or not, at the largest count measured."""
    if not scales:
        return []
    last, first = scales[-1], scales[0]
    checks = [
        (f"codegen <= {TARGETS['codegen_s']:.0f} s", last.codegen_s <= TARGETS["codegen_s"]),
        (f"<= {TARGETS['lines']} lines per paginated op", last.lines <= TARGETS["lines"]),
        (
            f"import ocp_client <= {TARGETS['import_ratio']}x import httpx",
            last.import_ocp_ms <= TARGETS["import_ratio"] * last.import_httpx_ms,
        ),
        # Flat: within a tenth (and 3 ms of noise) of the 1-operation package's import.
        ("import ocp_client flat in the number of operations",
         last.import_ocp_ms <= first.import_ocp_ms * 1.1 + 3),
    ]  # fmt: skip
    if cli is not None:
        checks.append(
            (f"ocp-backup --help <= {TARGETS['cli_ratio']}x import httpx",
             cli[0] <= TARGETS["cli_ratio"] * cli[1])
        )  # fmt: skip
    result = [
        f"{'met' if ok else 'MISSED'}: {what} (at {last.operations} ops)" for what, ok in checks
    ]
    ran = [(s.operations, s.contract.ok) for s in scales if s.contract is not None]
    if ran:
        failed = [str(count) for count, ok in ran if not ok]
        result.append(
            f"MISSED: every contract test passes (failures at {', '.join(failed)} ops)"
            if failed
            else f"met: every contract test passes (at {', '.join(str(c) for c, _ in ran)} ops)"
        )
    return result


def contract_failures(scales: Sequence[Scale]) -> list[str]:
    """One line per contract test that failed, and per contract run that did not complete,
    for each count: empty when every contract run passed (or none ran)."""
    lines = []
    for s in scales:
        if s.contract is None or s.contract.ok:
            continue
        lines.append(f"{s.operations} ops: {s.contract.summary}")
        lines += [f"  {failure}" for failure in s.contract.failures]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, nargs="+", default=list(COUNTS))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-contract", action="store_true", help="skip the contract tests")
    parser.add_argument(
        "--template",
        metavar="OPERATION_ID",
        help="the paginated operation to copy (default: the spec's first with a model item)",
    )
    args = parser.parse_args()
    scales = []
    for scale in run(args.ops, args.repeat, contract=not args.no_contract, template=args.template):
        scales.append(scale)
        print(f"measured {scale.operations} operations", file=sys.stderr)
    cli = cli_help_time(args.repeat)
    width = max(len(name) for name, _, _ in rows(scales, cli))
    for name, value, ratio in rows(scales, cli):
        print(f"{name:{width}}  {value:>10}  {ratio}")
    print()
    print("\n".join(verdicts(scales, cli)))
    failures = contract_failures(scales)
    if failures:
        print("\ncontract tests that fail on the synthesized specs:", file=sys.stderr)
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
