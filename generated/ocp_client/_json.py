"""Reading a response body as JSON, for every place that does (hand-written).

``json.loads`` fails in more ways than ValueError: a body nested deeper than the interpreter's
recursion limit (``[[[[...``, from a broken or hostile server) raises RecursionError. Callers
treat every unreadable body alike, so this turns that into a ValueError too.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["loads"]


def loads(content: bytes) -> Any:
    """The JSON value of ``content``; ValueError (UnicodeDecodeError, JSONDecodeError are ones)
    when it is not readable JSON, however it fails."""
    try:
        return json.loads(content)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
