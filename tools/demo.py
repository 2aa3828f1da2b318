"""The README's main job: the local OCP stand-in on 127.0.0.1, and the ``ocp-backup`` command
against it, as a DBA runs it:

    .venv/bin/python tools/demo.py        (run by tools/main.sh after the set-up)

1. ``tasks``: a cluster's newest data backup tasks (a table, printed as rows arrive);
2. ``now --wait``: a full backup started now, waited for with a progress line on stderr;
3. ``check``: the monitoring check of one cluster, then of every cluster OCP lists (one line
   per cluster, one exit code for all).

The command is the installed console script, run as a user would run it, with the stand-in's
AccessKey in the environment (the variables ``Client.from_env()`` reads). The banner shows the
stand-in's test credentials (they are its own, printed so that a user can try it by hand); the
commands' output never does.

Exit status: 0 when every command ran and answered as it must (``tasks`` and ``now --wait``
exit 0; each ``check`` exits with a state it established: OK, WARNING or CRITICAL, not
UNKNOWN); 1 otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ocp_client.client import ENVIRONMENT

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
from standin import Credentials, StandIn  # noqa: E402 (after the path insert)

CLUSTER = "1000005"
CHECKED = (0, 1, 2)
"""Nagios's OK, WARNING, CRITICAL: a state the check established (3, UNKNOWN, is not)."""
BANNER = """\
================================================================================
  ocp-client demo against the LOCAL OCP STAND-IN at {url}
  This is not a real OCP: tools/standin serves data made from the spec's samples
  and checks credentials like OCP does. Its TEST credentials (the stand-in's
  own, not secrets of any real OCP):
    Basic       {users}
    AccessKey   id {key_id}  secret {key_secret}
  Its clusters: {clusters}
================================================================================"""


def run(command: list[str], env: dict[str, str]) -> int:
    print(f"\n$ ocp-backup {' '.join(command[1:])}", flush=True)
    code = subprocess.run(command, env=env, timeout=300, check=False).returncode
    print(f"(exit {code})", flush=True)
    return code


def main() -> int:
    cli = str(Path(sys.executable).parent / "ocp-backup")
    credentials = Credentials()
    key_id, key_secret = next(iter(credentials.access_keys.items()))
    with StandIn(credentials=credentials) as server:
        users = ", ".join(f"{user}/{password}" for user, password in credentials.users.items())
        print(
            BANNER.format(
                url=server.base_url,
                users=users,
                key_id=key_id,
                key_secret=key_secret,
                clusters=", ".join(map(str, server.clusters)),
            ),
            flush=True,
        )
        env = {
            **os.environ,
            ENVIRONMENT["url"]: server.base_url,
            ENVIRONMENT["access_key_id"]: key_id,
            ENVIRONMENT["access_key_secret"]: key_secret,
        }
        codes = {
            "tasks": run([cli, "tasks", "--cluster", CLUSTER, "--limit", "8"], env),
            "now --wait": run(
                [cli, "now", "--cluster", CLUSTER, "--wait", "--timeout", "120"], env
            ),
            "check (one cluster)": run([cli, "check", "--cluster", CLUSTER], env),
            "check (every cluster)": run([cli, "check"], env),
        }
    print("\n" + "; ".join(f"ocp-backup {name} exited {code}" for name, code in codes.items()))
    good = (
        codes["tasks"] == 0
        and codes["now --wait"] == 0
        and codes["check (one cluster)"] in CHECKED
        and codes["check (every cluster)"] in CHECKED
    )
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
