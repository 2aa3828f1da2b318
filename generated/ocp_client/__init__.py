"""ocp_client: a Python SDK for the HTTP API of OceanBase Cloud Platform (OCP).

Operations are grouped by the spec's tags in ``ocp_client.api`` (``ocp_client.api.backup``), one
module per operation; models are in ``ocp_client.models``; every error derives from
``ocp_client.errors.OcpError``. Hand-written: the generator writes ``api/`` and ``models/`` only.
"""

from .client import Client
from .types import Page, Response

__all__ = ["Client", "Page", "Response", "__version__"]

__version__ = "0.2.0"
