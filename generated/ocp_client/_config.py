"""The client's defaults and the environment variables it reads, defined once for ``client.py``
and the ``ocp-backup`` command.

Hand-written. Imports nothing: the command's ``--help`` and its usage errors read these without
importing httpx (``client.py`` builds ``DEFAULT_TIMEOUT``, an ``httpx.Timeout``, from them).
"""

from __future__ import annotations

__all__ = ["DEFAULT_DEADLINE", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT_SECONDS", "ENVIRONMENT"]

DEFAULT_TIMEOUT_SECONDS = 10.0
"""Seconds for each of connect, read, write and pool, unless given."""

DEFAULT_MAX_RETRIES = 2
"""Retries of an idempotent request on connect errors, read timeouts, resets, bodies cut short,
408, 429, 502, 503, 504 (of any request on connect errors: it never reached OCP)."""

DEFAULT_DEADLINE = 60.0
"""Seconds a whole call may take: every attempt, wait and body (three attempts of the default
10 s timeouts and the retry policy's waits fit); per call, pass ``deadline=``."""

ENVIRONMENT = {
    "url": "OCP_URL",
    "access_key_id": "OCP_ACCESS_KEY_ID",
    "access_key_secret": "OCP_ACCESS_KEY_SECRET",
    "username": "OCP_USERNAME",
    "password": "OCP_PASSWORD",
}
"""The environment variables :meth:`Client.from_env` (and the ``ocp-backup`` command) read."""
