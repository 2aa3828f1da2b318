"""`tools/publish.py`: bundles, offline HTML reference (rendered in headless Chromium), TS types.

The command runs once for the module, into a scratch folder; Chromium runs once, on the
operation's page of the reference, and its screenshot is kept in dist/test-artifacts/.
"""

from __future__ import annotations

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
from tests.conftest import ROOT, SPEC_PATH

ARTIFACTS = ROOT / "dist" / "test-artifacts"
SCREENSHOT = ARTIFACTS / "api-reference.png"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # what tools/setup.sh installs
# Redoc routes each operation to its own page; the overview page shows none of them.
OPERATION_ROUTE = "#/backup/listdatabackuptasks"
SUMMARY = "Query data backup tasks of a cluster"
# Tall enough that Redoc mounts the response schema down to the task's fields (it mounts
# sections lazily, as they come near the viewport).
WINDOW = (1280, 4000)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder that `python tools/publish.py --out FOLDER` wrote."""
    out = tmp_path_factory.mktemp("published")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "publish.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=100,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


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
    from_yaml = yaml.safe_load((published / "ocp.yaml").read_text(encoding="utf-8"))
    from_json = json.loads((published / "ocp.json").read_text(encoding="utf-8"))
    assert from_yaml == from_json
    validate(from_yaml)
    validate(from_json)


def test_bundle_is_self_contained_and_describes_the_spec(published: Path) -> None:
    bundled: dict[str, Any] = json.loads((published / "ocp.json").read_text(encoding="utf-8"))
    source: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
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


def test_page_renders_the_operation_and_the_schema_in_chromium(
    published: Path, rendered: Rendered
) -> None:
    shown = visible_text(rendered.dom)
    assert SUMMARY in shown
    # The schema by its own name, not only as the prefix of DataBackupHistoryWrapperTaskPage.
    assert re.search(r"\bDataBackupHistoryWrapperTask\b", shown), shown[:2000]
    assert "dataBackupTasks" in shown
    # Rendered by Redoc in the browser: the file's own markup (the overview page) shows neither;
    # the spec's text is there only inside the embedded script.
    static = visible_text((published / "index.html").read_text(encoding="utf-8"))
    assert SUMMARY not in static
    assert not re.search(r"\bDataBackupHistoryWrapperTask\b", static)


def test_screenshot_is_kept_and_shows_a_page(rendered: Rendered) -> None:
    width, height, distinct_rows = png_rows(rendered.screenshot)
    assert (width, height) == WINDOW
    # A blank page has one or two distinct rows; the rendered reference has well over a thousand.
    assert distinct_rows > 200, f"the screenshot looks blank ({distinct_rows} distinct rows)"


# -- TypeScript -------------------------------------------------------------------------------


def test_types_keep_the_open_enum_and_the_required_query(published: Path) -> None:
    types = (published / "ocp.d.ts").read_text(encoding="utf-8")
    assert 'status: components["schemas"]["DataBackupTaskStatus"] | string;' in types
    assert re.search(r"\n\s+page: number;\n", types)
    assert re.search(r"\n\s+backupSetId\?: number;\n", types)


def test_usage_compiles_with_tsc_strict(published: Path) -> None:
    result = publish.typecheck(published / "ocp.d.ts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_tsc_fails_on_a_type_error(published: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage.ts"
    usage.write_text(
        publish.USAGE_TS.read_text(encoding="utf-8")
        + "\nexport const broken: PageInfo = { number: 1, size: 10, totalElements: 3 };\n",
        encoding="utf-8",
    )
    result = publish.typecheck(published / "ocp.d.ts", usage)
    assert result.returncode != 0
    assert "usage.ts" in result.stdout and "totalPages" in result.stdout, result.stdout


def test_tsc_fails_when_an_expected_error_is_not_one(published: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage.ts"
    usage.write_text(
        publish.USAGE_TS.read_text(encoding="utf-8")
        + '\n// @ts-expect-error\nexport const fine: DataBackupTaskStatus = "DONE";\n',
        encoding="utf-8",
    )
    result = publish.typecheck(published / "ocp.d.ts", usage)
    assert result.returncode != 0
    assert "Unused '@ts-expect-error' directive" in result.stdout, result.stdout


def test_node_tools_are_pinned_exactly() -> None:
    manifest = json.loads((ROOT / "tools" / "package.json").read_text(encoding="utf-8"))
    pins = manifest["devDependencies"]
    assert pins["openapi-typescript"] == "7.13.0"
    assert pins["typescript"] == "5.9.3"
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pins.values()), pins
