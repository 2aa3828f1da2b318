"""Lint the hand-written OpenAPI spec: ``python tools/lint_spec.py [SPEC]``.

Three independent checks, all of which must be clean (warnings and hints count as failures):

- openapi-spec-validator: the document is valid OpenAPI 3.0.
- Redocly CLI, ``recommended`` ruleset (``tools/redocly.yaml``).
- Spectral, ``spectral:oas`` ruleset (``tools/spectral.yaml``).

A rule switched off is switched off in those committed files, with the reason.
Node tools come from ``tools/node_modules`` (``npm ci --prefix tools``, done by tools/setup.sh).
"""

from __future__ import annotations

import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from node_tools import node_tool, run_node

TOOLS = Path(__file__).resolve().parent
DEFAULT_SPEC = TOOLS.parent / "openapi" / "ocp.yaml"


def check_openapi_spec_validator(spec: Path) -> list[str]:
    document, _ = read_from_filename(str(spec))
    try:
        validate(document)
    except Exception as error:  # the validator raises its own OpenAPIValidationError subclasses
        return [f"openapi-spec-validator: {str(error).splitlines()[0]}"]
    return []


def check_redocly(spec: Path) -> list[str]:
    result = run_node(
        [
            node_tool("redocly"),
            "lint",
            "--config",
            str(TOOLS / "redocly.yaml"),
            "--format",
            "json",
            "--max-problems",
            "1000",
            str(spec),
        ]
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [f"redocly: no JSON report (exit {result.returncode}): {result.stderr.strip()}"]
    return [
        f"redocly {problem['severity']} {problem['ruleId']}: {problem['message']}"
        f" at {problem['location'][0]['pointer'] if problem.get('location') else '?'}"
        for problem in report["problems"]
    ]


def check_spectral(spec: Path) -> list[str]:
    # Spectral appends a plain-text summary to JSON on stdout, so the report goes to a file.
    with tempfile.TemporaryDirectory(prefix="spectral-") as scratch:
        report_path = Path(scratch) / "report.json"
        result = run_node(
            [
                node_tool("spectral"),
                "lint",
                "--ruleset",
                str(TOOLS / "spectral.yaml"),
                "--format",
                "json",
                "--output",
                str(report_path),
                "--fail-severity",
                "hint",
                str(spec),
            ]
        )
        try:
            results = json.loads(report_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            output = (result.stdout + result.stderr).strip()
            return [f"spectral: no JSON report (exit {result.returncode}): {output}"]
    names = {0: "error", 1: "warning", 2: "info", 3: "hint"}
    return [
        f"spectral {names.get(item['severity'], item['severity'])} {item['code']}:"
        f" {item['message']} at /{'/'.join(map(str, item['path']))}"
        for item in results
    ]


def lint(spec: Path) -> list[str]:
    """All problems the three linters find in ``spec``; empty when it is clean."""
    # The two Node linters run side by side: each is mostly one busy process starting up.
    with ThreadPoolExecutor(max_workers=2) as pool:
        redocly = pool.submit(check_redocly, spec)
        spectral = pool.submit(check_spectral, spec)
        return check_openapi_spec_validator(spec) + redocly.result() + spectral.result()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    spec = Path(args[0]) if args else DEFAULT_SPEC
    problems = lint(spec)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{spec}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{spec}: clean under openapi-spec-validator, Redocly (recommended), Spectral (oas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
