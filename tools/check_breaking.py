"""Breaking-change guard: ``python tools/check_breaking.py [--spec SPEC] [--released RELEASED]``.

Compares the spec (default ``openapi/ocp.yaml``) with the last released version of it (default:
the highest ``openapi/released/ocp-<version>.yaml``) and fails (exit 1, one line per finding with
its JSON pointer) when the change does not match the bump of ``info.version``:

- a breaking change (below) without a MAJOR bump;
- an addition (new operation, parameter, property, response, enum value...) with only a PATCH
  bump: additions need at least MINOR, as the spec's ``info.version`` comment says;
- any change of the document at all (comments and ``info.version`` aside) without a bump;
- a version lower than the released one, or one that is not ``MAJOR.MINOR.PATCH``.

To release: copy ``openapi/ocp.yaml`` to ``openapi/released/ocp-<info.version>.yaml``.

The comparison walks both parsed documents side by side: operations, parameters, request
bodies, responses and schemas, the last through ``allOf``/``anyOf``/``oneOf``, ``properties`` and
``items``. ``$ref``s are followed by ``spec_model.resolve`` and ``allOf`` parts merged the way
``spec_model.Spec.flatten`` merges them (a property named by several parts is all of them), but
the walk keeps its own record of where each node lives, because every finding names its JSON
pointer, and it does not build a ``spec_model.Spec``: that refuses what the SDK cannot serve
(header parameters, ``nullable``, other styles), while the guard must judge such changes too.
openapi-diff 0.24.1, which reads 3.0 offline, was tried on each rule below and was not used: it
reports no change at all for a removed, renamed, retyped or newly required parameter, nor for a
format change or a narrowed enum.

Breaking (the point of view is a client generated from the released spec):

- operation removed (method and path, path parameter names aside), or its ``operationId``
  changed (generated function names come from it), or its first tag (generated clients group
  operations into modules by it);
- parameter removed or renamed (a rename is a removal), or moved to another ``in``;
  new required parameter; optional parameter made required; ``style``/``explode`` changed;
- request body: made required, added as required, removed, or a media type removed;
- success (2XX or ``default``) response removed; a new 2XX status that the released spec did
  not cover (exactly, by range or by ``default``); response media type removed; response header
  removed;
- schema ``type`` or ``format`` changed (parameters, request and response properties, items),
  or its ``anyOf``/``oneOf`` alternatives changed in number;
- enum value removed (narrowed), anywhere; enum introduced where there was none; in a response,
  a value added to a closed enum (one not in an ``anyOf``/``oneOf`` with a plain string, as the
  spec's open sets are), or a closed enum of a response dropped;
- response property removed; response property no longer ``required`` (decision: a field
  becoming optional breaks clients that rely on it, and the SDK's validating models reject its
  absence today); response property made ``nullable``;
- request property removed; new required request property; request property made required;
  request property no longer ``nullable``;
- request constraint tightened: ``minimum``/``minLength``/``minItems`` raised,
  ``maximum``/``maxLength``/``maxItems`` lowered or added, exclusive bounds switched on,
  ``uniqueItems`` switched on, ``pattern`` added or changed (a regex change cannot be told apart
  from a narrowing, so it counts as one);
- a security alternative of an operation removed (clients that use it are locked out), or a
  security scheme removed or changed in ``type``, ``scheme``, ``in`` or ``name``;
- schema component removed or renamed (generated model classes are named after them), also
  when no operation uses it any more and the operations' JSON is unchanged (for example a
  per-operation wrapper replaced by an ``allOf`` of the shared parts): code that names the
  generated class or type breaks, which is what a MAJOR bump warns of.

Not detected: changes to ``servers`` (base URL), to examples and descriptions (wording, so
PATCH), reordered ``anyOf``/``oneOf`` alternatives (compared by position), constraint changes in
responses (the SDK checks types and formats, not bounds or patterns), ``additionalProperties``,
``discriminator``, ``readOnly``/``writeOnly``, ``default`` values, links and callbacks, vendor
extensions (``x-ocp-*``: they steer tools, not the JSON), an operation or property switching
between a named schema and an inline one of the same JSON (the generated class changes name;
only a removed or renamed schema is caught), and changes in behaviour that the document does not
describe.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

import spec_model

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
DEFAULT_SPEC = ROOT / "openapi" / "ocp.yaml"
RELEASED_DIR = ROOT / "openapi" / "released"

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_RELEASED_NAME = re.compile(r"^ocp-(\d+\.\d+\.\d+)\.yaml$")
_TEMPLATE_VARIABLE = re.compile(r"\{[^{}/]+\}")

Direction = Literal["request", "response", "both"]
Side = Literal["released", "current"]
Version = tuple[int, int, int]


class GuardError(Exception):
    """The guard could not compare (unreadable file, bad version, unresolvable $ref)."""


@dataclass(frozen=True, order=True)
class Finding:
    """One difference: ``pointer`` is a JSON pointer into the ``side`` document."""

    kind: Literal["breaking", "addition"]
    pointer: str
    side: Side
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.pointer} ({self.side}): {self.message}"


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def parse_version(text: object) -> Version:
    match = _SEMVER.match(str(text))
    if not match:
        raise GuardError(f"info.version {text!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def load(path: Path) -> dict[str, Any]:
    try:
        document = spec_model.read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GuardError(f"{path}: {error}") from error
    if not isinstance(document, dict):
        raise GuardError(f"{path}: not an OpenAPI document")
    return document


def latest_released(directory: Path = RELEASED_DIR) -> Path:
    """The released spec of the highest version in ``directory``."""
    releases: list[tuple[Version, Path]] = []
    for path in directory.glob("ocp-*.yaml"):
        match = _RELEASED_NAME.match(path.name)
        if match:
            releases.append((parse_version(match.group(1)), path))
    if not releases:
        raise GuardError(f"no released spec (ocp-<version>.yaml) in {directory}")
    return max(releases)[1]


class Document:
    """A parsed spec with internal ``$ref`` resolution."""

    def __init__(self, data: Mapping[str, Any], side: Side) -> None:
        self.data = data
        self.side = side

    def get(self, pointer: str) -> Any:
        node: Any = self.data
        for token in pointer.split("/")[1:]:
            key = unescape(token)
            if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            elif isinstance(node, Mapping) and key in node:
                node = node[key]
            else:
                raise GuardError(f"{self.side} spec: {pointer} does not exist")
        return node

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains: the node, and the pointer where it really lives.

        ``spec_model.resolve`` finds the node, as for every other tool; the guard also needs
        where the node lives, to report it, which spec_model does not track: the last ``$ref``
        of the chain names it (a chain spec_model has followed ends, so this walk does too).
        """
        try:
            target = spec_model.resolve(self.data, node)
        except spec_model.SpecError as error:
            raise GuardError(f"{self.side} spec: {error} (at {pointer})") from None
        while isinstance(node, Mapping) and "$ref" in node:
            pointer = str(node["$ref"])[1:]
            node = self.get(pointer)
        return target, pointer


Located = tuple[Any, str]  # a schema node as written, and the pointer where it is written


@dataclass
class SchemaView:
    """A schema with ``allOf`` merged in: what the comparison looks at.

    A property or ``items`` named by several ``allOf`` parts is all of those parts (``Page``
    says ``contents`` is an array, a list operation's part says of what), as
    ``spec_model.Spec.flatten`` merges them; the other keywords: the last part wins.
    """

    pointer: str  # where findings about the schema as a whole are reported
    parts: tuple[str, ...]  # where each merged part lives: the schema's identity
    type: str | None = None
    format: str | None = None
    enum: list[Any] | None = None
    nullable: bool = False
    properties: dict[str, list[Located]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: list[Located] = field(default_factory=list)
    alternatives: list[Located] | None = None
    constraints: dict[str, Any] = field(default_factory=dict)


_CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "pattern",
)
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated"})


def _constrains(schema: Any) -> bool:
    """Whether a schema says anything beyond annotations and vendor extensions."""
    return isinstance(schema, Mapping) and any(
        key not in _ANNOTATIONS and not str(key).startswith("x-") for key in schema
    )


def _leaves(
    document: Document, parts: Iterable[Located], inside: tuple[str, ...] = ()
) -> list[tuple[Mapping[str, Any], str]]:
    """The schemas that make up ``parts`` with the pointers where they live, each schema's
    ``allOf`` members before its own keywords (the order ``spec_model.Spec.flatten`` merges)."""
    leaves: list[tuple[Mapping[str, Any], str]] = []
    for raw, written in parts:
        schema, pointer = document.resolve(raw, written)
        if not isinstance(schema, Mapping):
            continue
        if pointer in inside:
            raise GuardError(f"{document.side} spec: allOf cycle at {pointer}")
        members = [
            (member, f"{pointer}/allOf/{index}")
            for index, member in enumerate(schema.get("allOf") or [])
        ]
        leaves.extend(_leaves(document, members, (*inside, pointer)))
        leaves.append((schema, pointer))
    return leaves


def view(document: Document, parts: list[Located]) -> SchemaView:
    """The merged view of a schema written in one or more places (``parts``)."""
    resolved = [document.resolve(raw, pointer) for raw, pointer in parts]
    # Reported where the most specific part that says something lives: the last one.
    saying = [pointer for schema, pointer in resolved if _constrains(schema)]
    leaves = _leaves(document, parts)
    result = SchemaView(
        pointer=(saying or [pointer for _, pointer in resolved])[-1],
        parts=tuple(pointer for _, pointer in leaves),
    )
    composed = False
    for schema, pointer in leaves:
        composed = composed or "allOf" in schema
        if isinstance(schema.get("type"), str):
            result.type = schema["type"]
        if isinstance(schema.get("format"), str):
            result.format = schema["format"]
        if isinstance(schema.get("enum"), list):
            result.enum = list(schema["enum"])
        result.nullable = result.nullable or schema.get("nullable") is True
        for name, value in (schema.get("properties") or {}).items():
            located = (value, f"{pointer}/properties/{escape(name)}")
            result.properties.setdefault(name, []).append(located)
        result.required |= set(schema.get("required") or [])
        if "items" in schema:
            result.items.append((schema["items"], f"{pointer}/items"))
        for keyword in ("anyOf", "oneOf"):
            if isinstance(schema.get(keyword), list):
                result.alternatives = [
                    (member, f"{pointer}/{keyword}/{index}")
                    for index, member in enumerate(schema[keyword])
                ]
        result.constraints.update({key: schema[key] for key in _CONSTRAINTS if key in schema})
    if result.type is None and (result.properties or composed):
        result.type = "object"
    return result


def _is_plain_string(document: Document, raw: Any, pointer: str) -> bool:
    schema, _ = document.resolve(raw, pointer)
    return (
        isinstance(schema, Mapping)
        and schema.get("type") == "string"
        and "enum" not in schema
        and "format" not in schema
    )


def _is_open(document: Document, alternatives: list[tuple[Any, str]]) -> bool:
    """An ``anyOf``/``oneOf`` with a plain string: its enum branches are open sets."""
    return any(_is_plain_string(document, raw, pointer) for raw, pointer in alternatives)


def _status_covers(codes: set[str], status: str) -> bool:
    return status in codes or f"{status[0]}XX" in codes or "default" in codes


def _first_tag(operation: Mapping[str, Any]) -> str | None:
    tags = operation.get("tags") or [None]
    return None if tags[0] is None else str(tags[0])


def _normalised_path(path: str) -> str:
    return _TEMPLATE_VARIABLE.sub("{}", path)


class Comparison:
    """Walks the released and the current spec side by side and collects findings."""

    def __init__(self, released: Mapping[str, Any], current: Mapping[str, Any]) -> None:
        self.old = Document(released, "released")
        self.new = Document(current, "current")
        self.findings: set[Finding] = set()
        self._visited: set[tuple[tuple[str, ...], tuple[str, ...], str, bool]] = set()
        # Where the walk from the operations went, on each side: schemas it did not reach are
        # compared on their own.
        self._reached: dict[Side, set[str]] = {"released": set(), "current": set()}

    # -- recording ---------------------------------------------------------------------------

    def breaking(self, pointer: str, side: Side, message: str) -> None:
        self.findings.add(Finding("breaking", pointer, side, message))

    def addition(self, pointer: str, side: Side, message: str) -> None:
        self.findings.add(Finding("addition", pointer, side, message))

    # -- the walk ----------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        self.compare_operations()
        self.compare_security_schemes()
        self.compare_components()
        return sorted(self.findings)

    def _operations(self, document: Document) -> Iterator[tuple[str, str, str, Mapping[str, Any]]]:
        """(normalised path, method, pointer, operation) of every operation."""
        for path, item in (document.data.get("paths") or {}).items():
            item_node, item_pointer = document.resolve(item, f"/paths/{escape(path)}")
            for method in spec_model.HTTP_METHODS:
                if isinstance(item_node.get(method), Mapping):
                    pointer = f"{item_pointer}/{method}"
                    yield _normalised_path(path), method, pointer, item_node[method]

    def compare_operations(self) -> None:
        old_ops = {
            (path, method): (ptr, op) for path, method, ptr, op in self._operations(self.old)
        }
        new_ops = {
            (path, method): (ptr, op) for path, method, ptr, op in self._operations(self.new)
        }
        for key, (old_pointer, old_op) in old_ops.items():
            if key not in new_ops:
                self.breaking(old_pointer, "released", f"operation {key[1].upper()} removed")
                continue
            new_pointer, new_op = new_ops[key]
            self.compare_operation(old_pointer, old_op, new_pointer, new_op)
        for key, (new_pointer, _) in new_ops.items():
            if key not in old_ops:
                self.addition(new_pointer, "current", f"new operation {key[1].upper()}")

    def compare_operation(
        self,
        old_pointer: str,
        old_op: Mapping[str, Any],
        new_pointer: str,
        new_op: Mapping[str, Any],
    ) -> None:
        if old_op.get("operationId") != new_op.get("operationId"):
            self.breaking(
                f"{new_pointer}/operationId",
                "current",
                f"operationId changed from {old_op.get('operationId')!r}"
                f" to {new_op.get('operationId')!r} (generated function names change)",
            )
        old_tag, new_tag = _first_tag(old_op), _first_tag(new_op)
        if old_tag != new_tag:
            self.breaking(
                f"{new_pointer}/tags",
                "current",
                f"first tag changed from {old_tag!r} to {new_tag!r} (generated clients group"
                " operations by it: the operation's module moves)",
            )
        self.compare_parameters(old_pointer, new_pointer)
        self.compare_request_body(old_pointer, old_op, new_pointer, new_op)
        self.compare_responses(old_pointer, old_op, new_pointer, new_op)
        self.compare_security(old_pointer, old_op, new_pointer, new_op)

    # -- parameters --------------------------------------------------------------------------

    def _parameters(
        self, document: Document, op_pointer: str
    ) -> dict[tuple[str, str], tuple[Mapping[str, Any], str, str]]:
        """Path-item and operation parameters by (in, name), the operation's overriding.

        Each as (parameter, pointer where it is defined, pointer where the operation lists it).
        """
        item_pointer = op_pointer.rsplit("/", 1)[0]
        found: dict[tuple[str, str], tuple[Mapping[str, Any], str, str]] = {}
        for owner in (item_pointer, op_pointer):
            owner_node, _ = document.resolve(document.get(owner), owner)
            for index, raw in enumerate(owner_node.get("parameters") or []):
                listed = f"{owner}/parameters/{index}"
                node, pointer = document.resolve(raw, listed)
                name = str(node.get("name"))
                location = str(node.get("in"))
                key = (location, name.lower() if location == "header" else name)
                found[key] = (node, pointer, listed)
        return found

    @staticmethod
    def _style(parameter: Mapping[str, Any]) -> tuple[str, bool]:
        default = "form" if parameter.get("in") in ("query", "cookie") else "simple"
        style = str(parameter.get("style", default))
        return style, bool(parameter.get("explode", style == "form"))

    def _parameter_schema(self, parameter: Mapping[str, Any], pointer: str) -> tuple[Any, str]:
        if "schema" in parameter:
            return parameter["schema"], f"{pointer}/schema"
        for media, content in (parameter.get("content") or {}).items():
            return content.get("schema", {}), f"{pointer}/content/{escape(media)}/schema"
        return {}, pointer

    def compare_parameters(self, old_op_pointer: str, new_op_pointer: str) -> None:
        old_params = self._parameters(self.old, old_op_pointer)
        new_params = self._parameters(self.new, new_op_pointer)
        for key, (old_node, old_pointer, old_listed) in old_params.items():
            label = f"{key[0]} parameter {old_node.get('name')!r}"
            if key not in new_params:
                self.breaking(old_listed, "released", f"{label} removed (or renamed, or moved)")
                continue
            new_node, new_pointer, _ = new_params[key]
            if new_node.get("required") is True and old_node.get("required") is not True:
                self.breaking(f"{new_pointer}/required", "current", f"{label} made required")
            if self._style(old_node) != self._style(new_node):
                self.breaking(new_pointer, "current", f"{label}: style/explode changed")
            old_schema, old_schema_pointer = self._parameter_schema(old_node, old_pointer)
            new_schema, new_schema_pointer = self._parameter_schema(new_node, new_pointer)
            self.compare_schema(
                old_schema, old_schema_pointer, new_schema, new_schema_pointer, "request"
            )
        for key, (new_node, _, new_listed) in new_params.items():
            if key in old_params:
                continue
            label = f"{key[0]} parameter {new_node.get('name')!r}"
            if new_node.get("required") is True:
                self.breaking(new_listed, "current", f"new required {label}")
            else:
                self.addition(new_listed, "current", f"new optional {label}")

    # -- request bodies ----------------------------------------------------------------------

    def compare_request_body(
        self,
        old_pointer: str,
        old_op: Mapping[str, Any],
        new_pointer: str,
        new_op: Mapping[str, Any],
    ) -> None:
        old_raw, new_raw = old_op.get("requestBody"), new_op.get("requestBody")
        if old_raw is None and new_raw is None:
            return
        if old_raw is None:
            new_body, body_pointer = self.new.resolve(new_raw, f"{new_pointer}/requestBody")
            if new_body.get("required") is True:
                self.breaking(body_pointer, "current", "new required request body")
            else:
                self.addition(body_pointer, "current", "new optional request body")
            return
        old_body, old_body_pointer = self.old.resolve(old_raw, f"{old_pointer}/requestBody")
        if new_raw is None:
            self.breaking(f"{old_pointer}/requestBody", "released", "request body removed")
            return
        new_body, new_body_pointer = self.new.resolve(new_raw, f"{new_pointer}/requestBody")
        if new_body.get("required") is True and old_body.get("required") is not True:
            self.breaking(f"{new_body_pointer}/required", "current", "request body made required")
        self.compare_content(
            old_body.get("content") or {},
            f"{old_body_pointer}/content",
            new_body.get("content") or {},
            f"{new_body_pointer}/content",
            "request",
        )

    def compare_content(
        self,
        old_content: Mapping[str, Any],
        old_pointer: str,
        new_content: Mapping[str, Any],
        new_pointer: str,
        direction: Direction,
    ) -> None:
        for media, old_media in old_content.items():
            media_old_pointer = f"{old_pointer}/{escape(media)}"
            if media not in new_content:
                self.breaking(
                    media_old_pointer, "released", f"{direction} media type {media} removed"
                )
                continue
            media_new_pointer = f"{new_pointer}/{escape(media)}"
            self.compare_schema(
                (old_media or {}).get("schema", {}),
                f"{media_old_pointer}/schema",
                (new_content[media] or {}).get("schema", {}),
                f"{media_new_pointer}/schema",
                direction,
            )
        for media in new_content:
            if media not in old_content:
                self.addition(
                    f"{new_pointer}/{escape(media)}", "current", f"new {direction} media type"
                )

    # -- responses ---------------------------------------------------------------------------

    def compare_responses(
        self,
        old_pointer: str,
        old_op: Mapping[str, Any],
        new_pointer: str,
        new_op: Mapping[str, Any],
    ) -> None:
        old_responses: Mapping[str, Any] = old_op.get("responses") or {}
        new_responses: Mapping[str, Any] = new_op.get("responses") or {}
        old_codes = {str(code) for code in old_responses}
        for code, old_raw in old_responses.items():
            status = str(code)
            old_response, old_response_pointer = self.old.resolve(
                old_raw, f"{old_pointer}/responses/{escape(status)}"
            )
            if status not in {str(c) for c in new_responses}:
                if status.startswith("2") or status == "default":
                    location = f"{old_pointer}/responses/{escape(status)}"
                    self.breaking(location, "released", f"success response {status} removed")
                continue
            new_raw = next(value for key, value in new_responses.items() if str(key) == status)
            new_response, new_response_pointer = self.new.resolve(
                new_raw, f"{new_pointer}/responses/{escape(status)}"
            )
            self.compare_headers(
                old_response, old_response_pointer, new_response, new_response_pointer
            )
            self.compare_content(
                old_response.get("content") or {},
                f"{old_response_pointer}/content",
                new_response.get("content") or {},
                f"{new_response_pointer}/content",
                "response",
            )
        for code in new_responses:
            status = str(code)
            if status in old_codes:
                continue
            pointer = f"{new_pointer}/responses/{escape(status)}"
            if status.startswith("2") and not _status_covers(old_codes, status):
                self.breaking(pointer, "current", f"new success status {status} unknown to clients")
            else:
                self.addition(pointer, "current", f"new response {status}")

    def compare_headers(
        self,
        old_response: Mapping[str, Any],
        old_pointer: str,
        new_response: Mapping[str, Any],
        new_pointer: str,
    ) -> None:
        old_headers: Mapping[str, Any] = old_response.get("headers") or {}
        new_headers = {
            str(name).lower(): (name, raw)
            for name, raw in (new_response.get("headers") or {}).items()
        }
        for name, old_raw in old_headers.items():
            old_header, old_header_pointer = self.old.resolve(
                old_raw, f"{old_pointer}/headers/{escape(name)}"
            )
            if str(name).lower() not in new_headers:
                location = f"{old_pointer}/headers/{escape(name)}"
                self.breaking(location, "released", f"response header {name} removed")
                continue
            new_name, new_raw = new_headers[str(name).lower()]
            new_header, new_header_pointer = self.new.resolve(
                new_raw, f"{new_pointer}/headers/{escape(new_name)}"
            )
            self.compare_schema(
                old_header.get("schema", {}),
                f"{old_header_pointer}/schema",
                new_header.get("schema", {}),
                f"{new_header_pointer}/schema",
                "response",
            )
        old_names = {str(name).lower() for name in old_headers}
        for lowered, (name, _) in new_headers.items():
            if lowered not in old_names:
                pointer = f"{new_pointer}/headers/{escape(name)}"
                self.addition(pointer, "current", f"new response header {name}")

    # -- security ----------------------------------------------------------------------------

    def _security(self, document: Document, op: Mapping[str, Any]) -> set[frozenset[str]]:
        requirements = op.get("security", document.data.get("security")) or [{}]
        return {frozenset(requirement) for requirement in requirements}

    def compare_security(
        self,
        old_pointer: str,
        old_op: Mapping[str, Any],
        new_pointer: str,
        new_op: Mapping[str, Any],
    ) -> None:
        old_alternatives = self._security(self.old, old_op)
        new_alternatives = self._security(self.new, new_op)
        # The operation's own requirements, or the document's that it inherits.
        where = f"{new_pointer}/security" if "security" in new_op else "/security"
        for alternative in sorted(old_alternatives - new_alternatives, key=sorted):
            names = " + ".join(sorted(alternative)) or "no authentication"
            self.breaking(where, "current", f"security alternative removed: {names}")
        for alternative in sorted(new_alternatives - old_alternatives, key=sorted):
            names = " + ".join(sorted(alternative)) or "no authentication"
            self.addition(where, "current", f"new security alternative: {names}")

    def compare_security_schemes(self) -> None:
        old_schemes = (self.old.data.get("components") or {}).get("securitySchemes") or {}
        new_schemes = (self.new.data.get("components") or {}).get("securitySchemes") or {}
        for name, old_raw in old_schemes.items():
            pointer = f"/components/securitySchemes/{escape(name)}"
            if name not in new_schemes:
                self.breaking(pointer, "released", f"security scheme {name} removed")
                continue
            old_scheme, _ = self.old.resolve(old_raw, pointer)
            new_scheme, new_scheme_pointer = self.new.resolve(new_schemes[name], pointer)
            for key in ("type", "scheme", "in", "name"):
                if str(old_scheme.get(key, "")).lower() != str(new_scheme.get(key, "")).lower():
                    self.breaking(
                        f"{new_scheme_pointer}/{key}",
                        "current",
                        f"security scheme {name}: {key} changed"
                        f" from {old_scheme.get(key)!r} to {new_scheme.get(key)!r}",
                    )

    # -- schemas -----------------------------------------------------------------------------

    def compare_components(self) -> None:
        """Component schemas: removals, and those no operation reaches, compared both ways."""
        old_schemas = (self.old.data.get("components") or {}).get("schemas") or {}
        new_schemas = (self.new.data.get("components") or {}).get("schemas") or {}
        for name, old_raw in old_schemas.items():
            pointer = f"/components/schemas/{escape(name)}"
            if name not in new_schemas:
                # Decision: breaking even when no operation uses the schema any more and what
                # the operations send and receive is unchanged (a per-operation wrapper replaced
                # by an allOf of the same JSON; the operations are compared on their own). A
                # client generated from the spec names a class or type after every component
                # schema (the SDK's models, openapi-typescript's components["schemas"]), and
                # code that names it stops compiling or importing.
                self.breaking(
                    pointer,
                    "released",
                    f"schema {name} removed or renamed: generated clients lose the model named"
                    " after it, even where the operations' JSON is unchanged",
                )
            elif pointer not in self._reached["released"] | self._reached["current"]:
                self.compare_schema(old_raw, pointer, new_schemas[name], pointer, "both")
        for name in new_schemas:
            if name not in old_schemas:
                pointer = f"/components/schemas/{escape(name)}"
                self.addition(pointer, "current", f"new schema {name}")

    def compare_schema(
        self,
        old_raw: Any,
        old_pointer: str,
        new_raw: Any,
        new_pointer: str,
        direction: Direction,
        open_enum: bool = False,
    ) -> None:
        """Compare a schema written at ``old_pointer`` with one written at ``new_pointer``."""
        self.compare_parts([(old_raw, old_pointer)], [(new_raw, new_pointer)], direction, open_enum)

    def compare_parts(
        self,
        old_parts: list[Located],
        new_parts: list[Located],
        direction: Direction,
        open_enum: bool = False,
    ) -> None:
        """Compare two schemas, each written in one or more places (``allOf`` parts)."""
        old = view(self.old, old_parts)
        new = view(self.new, new_parts)
        key = (old.parts, new.parts, direction, open_enum)
        if key in self._visited:
            return
        self._visited.add(key)
        self._reached["released"].update(old.parts)
        self._reached["current"].update(new.parts)
        request = direction in ("request", "both")
        response = direction in ("response", "both")
        at = new.pointer

        if old.type != new.type:
            self.breaking(at, "current", f"type changed from {old.type} to {new.type}")
        elif old.format != new.format:
            self.breaking(at, "current", f"format changed from {old.format} to {new.format}")
        self._compare_enum(old, new, request, response, open_enum)
        if response and new.nullable and not old.nullable:
            self.breaking(at, "current", "response value made nullable")
        if request and old.nullable and not new.nullable:
            self.breaking(at, "current", "request value no longer nullable")
        if request:
            self._compare_constraints(old, new)
        self._compare_alternatives(old, new, direction)
        self._compare_properties(old, new, direction, request, response)
        if old.items and new.items:
            self.compare_parts(old.items, new.items, direction)

    def _compare_enum(
        self, old: SchemaView, new: SchemaView, request: bool, response: bool, open_enum: bool
    ) -> None:
        at = new.pointer
        if old.enum is None and new.enum is not None:
            self.breaking(at, "current", "enum introduced (values narrowed)")
        elif old.enum is not None and new.enum is None:
            if response and not open_enum:
                self.breaking(at, "current", "closed enum of a response dropped (any value now)")
            else:
                self.addition(at, "current", "enum dropped (any value now)")
        elif old.enum is not None and new.enum is not None:
            removed = [value for value in old.enum if value not in new.enum]
            added = [value for value in new.enum if value not in old.enum]
            if removed:
                self.breaking(at, "current", f"enum value(s) removed: {removed}")
            if added and response and not open_enum:
                self.breaking(at, "current", f"closed enum of a response gained value(s): {added}")
            elif added:
                self.addition(at, "current", f"new enum value(s): {added}")

    def _compare_constraints(self, old: SchemaView, new: SchemaView) -> None:
        at = new.pointer
        before, after = old.constraints, new.constraints
        for key in ("minimum", "minLength", "minItems"):
            if key in after and (key not in before or after[key] > before[key]):
                self.breaking(at, "current", f"request {key} raised to {after[key]}")
        for key in ("maximum", "maxLength", "maxItems"):
            if key in after and (key not in before or after[key] < before[key]):
                self.breaking(at, "current", f"request {key} lowered to {after[key]}")
        for key in ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems"):
            if after.get(key) is True and before.get(key) is not True:
                self.breaking(at, "current", f"request {key} switched on")
        if "pattern" in after and after.get("pattern") != before.get("pattern"):
            self.breaking(at, "current", "request pattern added or changed")

    def _compare_alternatives(self, old: SchemaView, new: SchemaView, direction: Direction) -> None:
        if old.alternatives is None and new.alternatives is None:
            return
        if (
            old.alternatives is None
            or new.alternatives is None
            or len(old.alternatives) != len(new.alternatives)
        ):
            count_old = len(old.alternatives or [])
            count_new = len(new.alternatives or [])
            self.breaking(
                new.pointer,
                "current",
                f"anyOf/oneOf alternatives changed from {count_old} to {count_new}",
            )
            return
        open_enum = _is_open(self.old, old.alternatives) and _is_open(self.new, new.alternatives)
        for (old_raw, old_pointer), (new_raw, new_pointer) in zip(
            old.alternatives, new.alternatives, strict=True
        ):
            self.compare_schema(old_raw, old_pointer, new_raw, new_pointer, direction, open_enum)

    def _compare_properties(
        self, old: SchemaView, new: SchemaView, direction: Direction, request: bool, response: bool
    ) -> None:
        for name, old_parts in old.properties.items():
            if name not in new.properties:
                self.breaking(old_parts[-1][1], "released", f"property {name!r} removed")
                continue
            new_parts = new.properties[name]
            at = view(self.new, new_parts).pointer
            if response and name in old.required and name not in new.required:
                self.breaking(at, "current", f"response property {name!r} made optional")
            if request and name in new.required and name not in old.required:
                self.breaking(at, "current", f"request property {name!r} made required")
            self.compare_parts(old_parts, new_parts, direction)
        for name, new_parts in new.properties.items():
            if name in old.properties:
                continue
            at = view(self.new, new_parts).pointer
            if request and name in new.required:
                self.breaking(at, "current", f"new required request property {name!r}")
            else:
                self.addition(at, "current", f"new property {name!r}")


def _without_version(document: Mapping[str, Any]) -> dict[str, Any]:
    stripped = copy.deepcopy(dict(document))
    if isinstance(stripped.get("info"), dict):
        stripped["info"].pop("version", None)
    return stripped


@dataclass(frozen=True)
class Verdict:
    """The guard's answer: ``problems`` empty means the change may land."""

    released_version: Version
    current_version: Version
    findings: list[Finding]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(released: Mapping[str, Any], current: Mapping[str, Any]) -> Verdict:
    """Compare two parsed specs and judge the change against their versions."""
    old_version = parse_version((released.get("info") or {}).get("version"))
    new_version = parse_version((current.get("info") or {}).get("version"))
    findings = Comparison(released, current).run()
    breaking = [finding for finding in findings if finding.kind == "breaking"]
    additions = [finding for finding in findings if finding.kind == "addition"]
    shown_old = ".".join(map(str, old_version))
    shown_new = ".".join(map(str, new_version))
    problems: list[str] = []
    if new_version < old_version:
        problems.append(f"info.version went down: {shown_new} < released {shown_old}")
    elif new_version == old_version:
        if _without_version(released) != _without_version(current):
            problems.append(f"the spec changed but info.version is still {shown_new}")
    elif breaking and new_version[0] <= old_version[0]:
        problems.append(
            f"{len(breaking)} breaking change(s) need a MAJOR bump over {shown_old}"
            f" (info.version is {shown_new})"
        )
    elif additions and new_version[:2] <= old_version[:2]:
        problems.append(
            f"{len(additions)} addition(s) need at least a MINOR bump over {shown_old}"
            f" (info.version is {shown_new})"
        )
    return Verdict(old_version, new_version, findings, problems)


def check_files(spec: Path, released: Path) -> Verdict:
    released_document = load(released)
    match = _RELEASED_NAME.match(released.name)
    released_version = (released_document.get("info") or {}).get("version")
    if match and match.group(1) != str(released_version):
        raise GuardError(f"{released.name} says info.version {released_version}")
    return check(released_document, load(spec))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="default: openapi/ocp.yaml")
    parser.add_argument(
        "--released", type=Path, help="default: the highest openapi/released/ocp-<version>.yaml"
    )
    args = parser.parse_args(argv)
    try:
        released = args.released or latest_released()
        verdict = check_files(args.spec, released)
    except GuardError as error:
        print(f"check_breaking: {error}", file=sys.stderr)
        return 1
    stream = sys.stdout if verdict.ok else sys.stderr
    for finding in verdict.findings:
        print(finding, file=stream)
    for problem in verdict.problems:
        print(f"check_breaking: FAIL: {problem}", file=sys.stderr)
    if not verdict.ok:
        return 1
    breaking = sum(finding.kind == "breaking" for finding in verdict.findings)
    print(
        f"check_breaking: {args.spec.name} {'.'.join(map(str, verdict.current_version))}"
        f" against {released.name}: {len(verdict.findings)} finding(s), {breaking} breaking; ok"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
