"""A local stand-in for an OCP server, driven by `openapi/ocp.yaml` (a development tool).

Start it with `.venv/bin/python -m tools.standin --port 8080` from the project root, or in tests::

    from standin import StandIn  # tools/ is on pytest's pythonpath

    with StandIn(seed=1) as ocp:
        ...  # ocp.base_url, ocp.faults, ocp.store(operation_id), ocp.stats()
"""

import sys
from pathlib import Path

# The spec's model (tools/spec_model.py) is a top-level module beside this package: on the path
# under pytest and tools/demo.py, not under `python -m tools.standin`.
_TOOLS = str(Path(__file__).resolve().parent.parent)
if _TOOLS not in sys.path:
    sys.path.append(_TOOLS)

from .auth import Credentials, sign, string_to_sign  # noqa: E402 (after the path)
from .faults import Faults  # noqa: E402
from .server import LOGGER, StandIn  # noqa: E402

__all__ = ["LOGGER", "Credentials", "Faults", "StandIn", "sign", "string_to_sign"]
