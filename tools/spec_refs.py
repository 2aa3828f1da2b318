"""Following local ``$ref``s in the spec: shared by the codegen step (``generate.py``) and the
contract tests (``tests/contract/spec_schema.py``).

The stand-in and the breaking-change guard keep their own: the stand-in is kept independent of
the code it checks, and the guard also tracks where each node lives and reports cycles.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["resolve"]


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/components/...`) until a node that is not a reference."""
    for _ in range(32):
        if not (isinstance(node, Mapping) and "$ref" in node):
            return node
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported, not {ref!r}")
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    raise ValueError("reference chain too long")
