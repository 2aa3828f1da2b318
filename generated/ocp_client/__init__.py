"""ocp_client: a Python SDK for the HTTP API of OceanBase Cloud Platform (OCP).

Operations are grouped by the spec's tags in ``ocp_client.api`` (``ocp_client.api.backup``), one
module per operation; models are in ``ocp_client.models``; every error derives from
``ocp_client.errors.OcpError``. Hand-written: the generator writes ``api/`` and ``models/`` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .client import Client

if TYPE_CHECKING:
    from .types import Page, Response

__all__ = ["Client", "Page", "Response", "__version__"]

__version__ = "0.2.0.dev0"


def __getattr__(name: str) -> Any:
    # Page and Response bring attrs and the models' runtime: imported when first asked for, so
    # that `import ocp_client` costs little more than `import httpx`.
    if name in ("Page", "Response"):
        from . import types

        return getattr(types, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
