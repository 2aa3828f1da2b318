"""ocp_client: a Python SDK for the HTTP API of OceanBase Cloud Platform (OCP).

Operations are grouped by the spec's tags in ``ocp_client.api`` (``ocp_client.api.backup``), one
module per operation; models are in ``ocp_client.models``; every error derives from
``ocp_client.errors.OcpError``. Hand-written: the generator writes ``api/`` and ``models/`` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import Client
    from .types import Page, Response

__all__ = ["Client", "Page", "Response", "__version__"]

__version__ = "0.2.0.dev0"


def __getattr__(name: str) -> Any:
    # Each imported when first asked for: Client brings httpx, Page and Response attrs and the
    # models' runtime. `import ocp_client` (and `ocp-backup --help`) import none of them.
    if name == "Client":
        from .client import Client

        return Client
    if name in ("Page", "Response"):
        from . import types

        return getattr(types, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
