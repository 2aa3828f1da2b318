"""A local stand-in for an OCP server, driven by `openapi/ocp.yaml` (a development tool).

Start it with `.venv/bin/python -m tools.standin --port 8080` from the project root, or in tests::

    from standin import StandIn  # tools/ is on pytest's pythonpath

    with StandIn(seed=1) as ocp:
        ...  # ocp.base_url, ocp.faults, ocp.store(), ocp.stats()
"""

from .auth import Credentials, sign, string_to_sign
from .faults import Faults
from .server import LOGGER, StandIn

__all__ = ["LOGGER", "Credentials", "Faults", "StandIn", "sign", "string_to_sign"]
