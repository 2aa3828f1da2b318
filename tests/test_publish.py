"""`tools/publish.py`: bundles, offline HTML reference (rendered in headless Chromium), TS types.

The command runs once for the module, into a scratch folder; Chromium runs once, on the page of
the first operation (in spec_model's order) whose parameters carry an `x-ocp-decision`, and its
screenshot is kept in dist/test-artifacts/. tsc runs once more, on a spec that openapi-typescript
cannot type and on deliberate mistakes in usage.ts.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

import publish
import spec_model
from tests.conftest import ROOT, SPEC_PATH

ARTIFACTS = ROOT / "dist" / "test-artifacts"
SCREENSHOT = ARTIFACTS / "api-reference.png"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # what tools/setup.sh installs
# Tall enough that Redoc mounts the response schema down to the items' fields (it mounts
# sections lazily, as they come near the viewport).
WINDOW = (1280, 4000)
SPEC = spec_model.load(SPEC_PATH)


def decisions_of(op: spec_model.Operation) -> list[str]:
    """The `x-ocp-decision`s on the operation's parameters (shown on its page)."""
    return [str(p.raw[publish.DECISION]) for p in op.parameters if publish.DECISION in p.raw]


def in_reference_order(spec: spec_model.Spec) -> list[spec_model.Operation]:
    """The operations as the reference lists them: by the spec's tags, then in path order."""
    tags = [str(tag["name"]) for tag in spec.document.get("tags", [])]
    paths = list(spec.document["paths"])
    return sorted(
        spec.operations,
        key=lambda op: (
            tags.index(op.raw["tags"][0]) if op.raw["tags"][0] in tags else len(tags),
            paths.index(op.path),
        ),
    )


# The page rendered: the first operation the reference lists that has decisions on its
# parameters, else the first. (Headless Chromium's virtual time renders the reference's first
# route reliably; later routes came out blank in its screenshots.)
SHOWN = next(
    (op for op in in_reference_order(SPEC) if decisions_of(op)), in_reference_order(SPEC)[0]
)


def slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")


# Redoc routes each operation to its own page, `#/<tag>/<operationId>` in lower case; the
# overview page shows none of them.
OPERATION_ROUTE = f"#/{slug(str(SHOWN.raw['tags'][0]))}/{slug(SHOWN.id)}"


@dataclass(frozen=True)
class Published:
    out: Path  # the folder that `python tools/publish.py --out FOLDER` wrote
    stdout: str


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Published:
    out = tmp_path_factory.mktemp("published")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "publish.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=100,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Published(out, result.stdout)


@pytest.fixture(scope="module")
def published(run: Published) -> Path:
    return run.out


@dataclass(frozen=True)
class Rendered:
    dom: str
    screenshot: Path


@pytest.fixture(scope="module")
def rendered(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The operation's page as headless Chromium renders it, with no network at all."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get update && apt-get install -y chromium")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            # Every host name fails to resolve: the page must render from the file alone.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=10000",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            f"--screenshot={SCREENSHOT}",
            "--dump-dom",
            (published / "index.html").as_uri() + OPERATION_ROUTE,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=100,
    )
    assert result.returncode == 0, result.stderr
    return Rendered(result.stdout, SCREENSHOT)


class _Text(HTMLParser):
    """The text a page shows: script and style contents left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def png_rows(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct (filtered) pixel rows of an 8-bit PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8, f"bit depth {depth}"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    pixels = zlib.decompress(b"".join(chunks))
    stride = width * channels + 1
    rows = {pixels[row * stride : (row + 1) * stride] for row in range(height)}
    return width, height, len(rows)


# -- bundles ----------------------------------------------------------------------------------


def test_yaml_and_json_bundles_parse_are_equal_and_valid(published: Path) -> None:
    from_yaml = spec_model.load_document(published / "ocp.yaml")
    from_json = json.loads((published / "ocp.json").read_text(encoding="utf-8"))
    assert from_yaml == from_json
    validate(from_yaml)
    validate(from_json)


def test_bundle_is_self_contained_and_describes_the_spec(published: Path) -> None:
    bundled: dict[str, Any] = json.loads((published / "ocp.json").read_text(encoding="utf-8"))
    source: dict[str, Any] = spec_model.load_document(SPEC_PATH)
    assert publish.external_refs(bundled) == []
    assert bundled["openapi"] == source["openapi"]
    assert bundled["info"]["version"] == source["info"]["version"]
    assert bundled["paths"].keys() == source["paths"].keys()
    assert bundled["components"]["schemas"].keys() == source["components"]["schemas"].keys()


def test_bundle_check_rejects_differing_bundles(published: Path, tmp_path: Path) -> None:
    document = json.loads((published / "ocp.json").read_text(encoding="utf-8"))
    document["info"]["version"] = "9.9.9"
    other = tmp_path / "ocp.json"
    other.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(publish.PublishError, match="differ"):
        publish.check_bundles(published / "ocp.yaml", other)


# -- the HTML reference -----------------------------------------------------------------------


def test_html_loads_no_remote_script_or_style(published: Path) -> None:
    html = (published / "index.html").read_text(encoding="utf-8")
    assert publish.remote_resources(html) == []
    # The same, said without the scanner: no script, link or style sheet names a remote address.
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html, flags=re.IGNORECASE):
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", tag, re.I), tag
    assert not re.search(r"<link\b[^>]*modulepreload", html, flags=re.IGNORECASE)
    assert not re.search(r"@import\s+(?:url\()?\s*[\"']?(?:https?:)?//", html, re.IGNORECASE)
    assert '"disableTelemetry":true' in html


def test_remote_resource_check_catches_a_cdn_page() -> None:
    # What `redocly build-docs` writes without --inlineBundle, and other ways of loading.
    page = """<html><head>
      <link rel="modulepreload" href="https://cdn.redocly.com/redoc/v3/redoc.standalone.js">
      <script src="//cdn.example.net/x.js"></script>
      <style>@import "https://fonts.example.net/a.css"; b { background: url(//x.net/b.png) }</style>
      </head><body><img srcset="a.png 1x, https://cdn.example.net/a@2x.png 2x">
      <a href="https://redocly.com/">a link loads nothing</a></body></html>"""
    assert publish.remote_resources(page) == [
        "<link href='https://cdn.redocly.com/redoc/v3/redoc.standalone.js'>",
        "<script src='//cdn.example.net/x.js'>",
        "<style> https://fonts.example.net/a.css",
        "<style> //x.net/b.png",
        "<img srcset='https://cdn.example.net/a@2x.png'>",
    ]


def without_markup(text: str) -> str:
    """Text compared as shown: Markdown's backticks and stars gone, spacing ignored."""
    return re.sub(r"[\s`*]+", "", text)


def test_page_renders_the_operation_and_its_decisions_in_chromium(
    published: Path, rendered: Rendered
) -> None:
    shown = visible_text(rendered.dom)
    assert SHOWN.summary in shown
    assert SHOWN.path.rsplit("/", 1)[-1] in shown
    item = SHOWN.result.item
    if isinstance(item, spec_model.ModelType):
        # The items' schema by its own name, not only as the prefix of a longer name.
        assert re.search(rf"\b{re.escape(item.name)}\b", shown), shown[:2000]
    # Each decision on the operation's parameters, as a Decision paragraph rendered from its
    # Markdown (`code` becomes <code>, so no backtick is left on the page).
    decisions = decisions_of(SHOWN)
    assert decisions, "no parameter of any operation carries an x-ocp-decision to look for"
    for decision in decisions:
        assert without_markup(f"Decision: {decision}") in without_markup(shown), decision
    assert "`" not in shown
    # Once, as prose: the extension itself is not also shown raw. The facts for tools are.
    assert "ocp-decision:" not in shown
    if any("x-ocp-filter" in p.raw for p in SHOWN.parameters):
        assert "ocp-filter:" in shown
    assert rendered.dom.count("<strong>Decision:</strong>") >= len(decisions)
    # Rendered by Redoc in the browser: the file's own markup (the overview page) shows none of
    # it; the spec's text is there only inside the embedded script.
    static = without_markup(visible_text((published / "index.html").read_text(encoding="utf-8")))
    assert without_markup(SHOWN.summary) not in static
    assert not any(without_markup(decision) in static for decision in decisions)


def test_decisions_end_the_descriptions_they_stand_beside() -> None:
    document: dict[str, Any] = {
        "info": {"title": "T", "description": "The API.", "x-ocp-decision": "Because `x`."},
        "components": {
            "schemas": {
                "Task": {
                    "x-ocp-decision": "Required fields:\n\nthe ids.\n",
                    "properties": {"id": {"type": "integer", "x-ocp-decision": "Long."}},
                }
            }
        },
    }
    folded = publish.fold_decisions(document)
    assert folded["info"]["description"] == "The API.\n\n**Decision:** Because `x`."
    task = folded["components"]["schemas"]["Task"]
    assert task["description"] == "**Decision:** Required fields:\n\nthe ids."
    assert task["properties"]["id"]["description"] == "**Decision:** Long."
    # The extensions stay, and the spec itself is not changed.
    assert task["properties"]["id"]["x-ocp-decision"] == "Long."
    assert "description" not in document["components"]["schemas"]["Task"]
    with pytest.raises(publish.PublishError, match=r"/info/x-ocp-decision: not a text"):
        publish.fold_decisions({"info": {"x-ocp-decision": {"why": "a mapping"}}})


def test_screenshot_is_kept_and_shows_a_page(rendered: Rendered) -> None:
    width, height, distinct_rows = png_rows(rendered.screenshot)
    assert (width, height) == WINDOW
    # A blank page has one or two distinct rows; the rendered reference has well over a thousand.
    assert distinct_rows > 200, f"the screenshot looks blank ({distinct_rows} distinct rows)"


# -- TypeScript -------------------------------------------------------------------------------


def test_usage_and_the_coverage_of_every_operation_compile(run: Published) -> None:
    # publish.py fails unless both compile: its exit status is checked by the fixture.
    assert "usage.ts and coverage.ts (every operation and schema) compile" in run.stdout
    coverage = publish.coverage_ts(SPEC)
    for op in SPEC.operations:
        assert (
            f"Is<Same<paths[{json.dumps(op.path)}][{json.dumps(op.method.lower())}], " in coverage
        )
        for parameter in op.parameters:
            need = "required" if parameter.required else "optional"
            assert f"// {parameter.location} parameter {parameter.name}: {need}" in coverage
    for name in SPEC.document["components"]["schemas"]:
        assert f"Is<IsTyped<Schemas[{json.dumps(name)}]>>, // schema {name}" in coverage


def test_types_keep_the_known_values_of_open_enums(published: Path) -> None:
    """What usage.ts builds on, as openapi-typescript writes it: TypeScript cannot tell
    `Known | string` from `string` (coverage.ts checks only that any string is accepted), so
    the known values are looked for in the text."""
    types = (published / "ocp.d.ts").read_text(encoding="utf-8")
    open_enums = [
        (prop, prop.type.name)
        for model in SPEC.models.values()
        for prop in model.properties
        if isinstance(prop.type, spec_model.EnumType) and prop.type.open
    ]
    assert open_enums
    for prop, name in open_enums:
        optional = "" if prop.required else "?"
        assert f'{prop.json_name}{optional}: components["schemas"]["{name}"] | string;' in types


BROKEN_TS = """
export const broken: PageInfo = { number: 1, size: 10, totalElements: 3 };
// @ts-expect-error
export const fine: DataBackupTaskStatus = "DONE";
"""


def test_tsc_fails_on_what_openapi_typescript_cannot_type_and_on_mistakes(
    tmp_path: Path,
) -> None:
    # A schema spec_model takes, that no value satisfies: openapi-typescript types it `never`.
    document = copy.deepcopy(SPEC.document)
    document["components"]["schemas"]["Contradiction"] = {
        "allOf": [{"type": "string"}, {"type": "integer"}]
    }
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(dict(document), sort_keys=False), encoding="utf-8")
    types = publish.generate_types(spec, tmp_path)
    coverage = publish.coverage_ts(spec_model.Spec(document))
    usage = tmp_path / "usage.ts"
    usage.write_text(publish.USAGE_TS.read_text(encoding="utf-8") + BROKEN_TS, encoding="utf-8")

    result = publish.typecheck(types, coverage, usage)

    assert result.returncode != 0
    explained = publish.explain_tsc(result, coverage)
    check = 'Is<IsTyped<Schemas["Contradiction"]>>, // schema Contradiction'
    line = coverage.splitlines().index(f"  {check}") + 1
    assert f"coverage.ts line {line}: {check}" in explained, explained
    assert "usage.ts" in result.stdout and "totalPages" in result.stdout, result.stdout
    assert "Unused '@ts-expect-error' directive" in result.stdout, result.stdout
    # Nothing else failed: usage.ts and the rest of coverage.ts compile with these types too.
    errors = [text for text in result.stdout.splitlines() if ": error TS" in text]
    assert len(errors) == 3, result.stdout


def test_node_tools_are_pinned_exactly() -> None:
    manifest = json.loads((ROOT / "tools" / "package.json").read_text(encoding="utf-8"))
    pins = manifest["devDependencies"]
    assert pins["openapi-typescript"] == "7.13.0"
    assert pins["typescript"] == "5.9.3"
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pins.values()), pins
