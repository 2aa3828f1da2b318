"""The spec as the stand-in serves it: one route per operation of `spec_model`, matched to
request paths, and where in the document a part of an operation lives (for the validators)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import spec_model as sm

DEFAULT_SPEC = sm.DEFAULT_SPEC
_TEMPLATE_VARIABLE = re.compile(r"\{([^{}/]+)\}")


load_document = sm.load_document


@dataclass(frozen=True)
class Route:
    """One operation and the regular expression of its path template."""

    operation: sm.Operation
    pattern: re.Pattern[str]
    names: tuple[str, ...]  # the path template's variables, in order

    @property
    def operation_id(self) -> str:
        return self.operation.id


@dataclass(frozen=True)
class Match:
    route: Route
    path_values: dict[str, str]


class MethodNotAllowed(Exception):
    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__(", ".join(allowed))
        self.allowed = tuple(allowed)


def _route(operation: sm.Operation) -> Route:
    names = tuple(_TEMPLATE_VARIABLE.findall(operation.path))
    regex = "".join(
        f"(?P<_{names.index(piece)}>[^/]+)" if index % 2 else re.escape(piece)
        for index, piece in enumerate(_TEMPLATE_VARIABLE.split(operation.path))
    )
    return Route(operation, re.compile(f"^{regex}$"), names)


class Router:
    """Every operation of a spec, found by method and path."""

    def __init__(self, spec: sm.Spec) -> None:
        # A concrete path wins over a templated one (OpenAPI: "Path Templating Matching").
        self.routes = sorted(map(_route, spec.operations), key=lambda route: len(route.names))

    def match(self, method: str, path: str) -> Match | None:
        """The route for a request, None when no path matches; MethodNotAllowed on a bad method."""
        allowed: list[str] = []
        matched_template: str | None = None
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            # Only the best-matching template counts: /things/count is not /things/{id}.
            if matched_template is not None and route.operation.path != matched_template:
                continue
            matched_template = route.operation.path
            if route.operation.method != method.upper():
                allowed.append(route.operation.method)
                continue
            values = {route.names[int(k[1:])]: unquote(v) for k, v in found.groupdict().items()}
            return Match(route, values)
        if allowed:
            raise MethodNotAllowed(allowed)
        return None


def security(document: Mapping[str, Any], operation: sm.Operation | None) -> list[dict[str, Any]]:
    """The security requirement alternatives of an operation (global ones without one)."""
    requirements: list[dict[str, Any]] = list(document.get("security", []))
    if operation is not None and "security" in operation.raw:
        requirements = list(operation.raw["security"])
    return requirements


def locate(document: Mapping[str, Any], *keys: str) -> str:
    """The JSON pointer of the node that ``keys`` (names, or indices of lists) lead to from the
    document's root, following each ``$ref`` on the way (so that validators can refer to the
    node by its place)."""
    pointer = ""
    node: Any = document
    for key in keys:
        node, pointer = _follow(document, node, pointer)
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, Mapping) and key in node:
            node = node[key]
        else:
            raise KeyError(f"{pointer or '#'} has no {key!r}")
        pointer += "/" + key.replace("~", "~0").replace("/", "~1")
    return _follow(document, node, pointer)[1]


def _follow(document: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """The node a chain of ``$ref``s ends at, and its pointer (resolved one hop at a time:
    ``spec_model.resolve`` follows the whole chain and keeps no pointer)."""
    for _ in range(32):
        if not (isinstance(node, Mapping) and "$ref" in node):
            return node, pointer
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            raise sm.SpecError(f"only local references are supported, not {ref!r}")
        pointer, node = ref[1:], node_at(document, ref[1:])
    raise sm.SpecError("reference chain too long (a cycle of $refs?)")


def node_at(document: Mapping[str, Any], pointer: str) -> Any:
    """The node at a JSON pointer (`/paths/~1things/get/parameters/0`), as it is."""
    node: Any = document
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def response_key(operation: sm.Operation, status: int) -> str | None:
    """The key of the response documented for a status: exact, `4XX`-style, then `default`."""
    responses = operation.raw.get("responses", {})
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            return key
    return None
