"""The spec as the stand-in reads it: routes, resolved parameters, response schemas, examples."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = ROOT / "openapi" / "ocp.yaml"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_VARIABLE = re.compile(r"\{([^{}/]+)\}")


def load_document(path: Path = DEFAULT_SPEC) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


@dataclass(frozen=True)
class Route:
    """One operation of the spec: its path template, method and resolved parameters."""

    template: str
    method: str  # upper case
    operation: Mapping[str, Any]
    parameters: tuple[Mapping[str, Any], ...]
    pattern: re.Pattern[str]

    @property
    def operation_id(self) -> str:
        return str(self.operation.get("operationId", f"{self.method} {self.template}"))

    def parameter(self, name: str, location: str = "query") -> Mapping[str, Any] | None:
        for parameter in self.parameters:
            if parameter["name"] == name and parameter["in"] == location:
                return parameter
        return None

    def in_location(self, location: str) -> list[Mapping[str, Any]]:
        return [p for p in self.parameters if p["in"] == location]


@dataclass(frozen=True)
class Match:
    route: Route
    path_values: dict[str, str]


class MethodNotAllowed(Exception):
    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__(", ".join(allowed))
        self.allowed = tuple(allowed)


class Spec:
    """Read access to one OpenAPI 3.0 document: `$ref` resolution, routing, schema helpers."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.routes = self._routes()

    # --- references and schemas ------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """Follow local `$ref`s until a node that is not a reference."""
        for _ in range(32):
            if not (isinstance(node, Mapping) and "$ref" in node):
                return node
            ref = str(node["$ref"])
            if not ref.startswith("#/"):
                raise ValueError(f"only local references are supported, not {ref!r}")
            node = self.document
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        raise ValueError("reference chain too long")

    def flatten(self, schema: Any) -> dict[str, Any]:
        """An object schema with its `allOf` parts merged: properties, required, extensions."""
        schema = self.resolve(schema)
        merged: dict[str, Any] = {"properties": {}, "required": []}
        parts = [self.flatten(part) for part in schema.get("allOf", [])]
        own = {k: v for k, v in schema.items() if k != "allOf"}
        for part in [*parts, own]:
            for key, value in part.items():
                if key == "properties":
                    merged["properties"].update(value)
                elif key == "required":
                    merged["required"].extend(r for r in value if r not in merged["required"])
                else:
                    merged[key] = value
        return merged

    def properties(self, schema: Any) -> dict[str, Any]:
        """The properties of an object schema, each resolved."""
        props: dict[str, Any] = self.flatten(schema)["properties"]
        return {name: self.resolve(sub) for name, sub in props.items()}

    def known_values(self, schema: Any) -> list[Any]:
        """The `enum` of a schema or of the `anyOf`/`oneOf` branches of an open enum."""
        schema = self.resolve(schema)
        values: list[Any] = list(schema.get("enum", []))
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in schema.get(key, []):
                values.extend(v for v in self.known_values(branch) if v not in values)
        return values

    def scalar(self, schema: Any) -> dict[str, Any]:
        """The keywords of a schema with its `anyOf`/`oneOf`/`allOf` branches folded in."""
        schema = self.resolve(schema)
        folded: dict[str, Any] = {}
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in schema.get(key, []):
                for k, v in self.scalar(branch).items():
                    folded.setdefault(k, v)
        folded.update({k: v for k, v in schema.items() if k not in ("allOf", "anyOf", "oneOf")})
        return folded

    # --- operations ------------------------------------------------------------------------------

    def _routes(self) -> list[Route]:
        routes: list[Route] = []
        for template, raw_item in self.document.get("paths", {}).items():
            item = self.resolve(raw_item)
            shared = [self.resolve(p) for p in item.get("parameters", [])]
            names = _TEMPLATE_VARIABLE.findall(template)
            regex = "^" + "".join(
                f"(?P<_{names.index(piece)}>[^/]+)" if piece in names else re.escape(piece)
                for piece in _TEMPLATE_VARIABLE.split(template)
            )
            pattern = re.compile(regex + "$")
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                operation = item[method]
                own = [self.resolve(p) for p in operation.get("parameters", [])]
                keys = {(p["name"], p["in"]) for p in own}
                parameters = (*own, *[p for p in shared if (p["name"], p["in"]) not in keys])
                routes.append(Route(template, method.upper(), operation, parameters, pattern))
        # A concrete path wins over a templated one (OpenAPI: "Path Templating Matching").
        routes.sort(key=lambda r: len(_TEMPLATE_VARIABLE.findall(r.template)))
        return routes

    def match(self, method: str, path: str) -> Match | None:
        """The route for a request, None when no path matches; MethodNotAllowed on a bad method."""
        allowed: list[str] = []
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method != method.upper():
                allowed.append(route.method)
                continue
            names = _TEMPLATE_VARIABLE.findall(route.template)
            values = {names[int(k[1:])]: unquote(v) for k, v in found.groupdict().items()}
            return Match(route, values)
        if allowed:
            raise MethodNotAllowed(allowed)
        return None

    def security(self, route: Route | None) -> list[dict[str, Any]]:
        """The security requirement alternatives of an operation (global ones without route)."""
        requirements: list[dict[str, Any]] = list(self.document.get("security", []))
        if route is not None and "security" in route.operation:
            requirements = list(route.operation["security"])
        return requirements

    def security_scheme(self, name: str) -> Mapping[str, Any]:
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        scheme: Mapping[str, Any] = self.resolve(schemes[name])
        return scheme

    def json_response(self, route: Route, status: str) -> Mapping[str, Any] | None:
        """The `application/json` media type object of a response, None if there is none."""
        responses = route.operation.get("responses", {})
        if status not in responses:
            return None
        content = self.resolve(responses[status]).get("content", {})
        media: Mapping[str, Any] | None = content.get("application/json")
        return media

    def examples(self, media: Mapping[str, Any]) -> list[Any]:
        """The example values of a media type object, in the order the spec gives them."""
        values: list[Any] = []
        if "example" in media:
            values.append(media["example"])
        for example in media.get("examples", {}).values():
            resolved = self.resolve(example)
            if "value" in resolved:
                values.append(resolved["value"])
        return values
