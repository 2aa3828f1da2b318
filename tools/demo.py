"""The README's main job: the local OCP stand-in on 127.0.0.1, and the ``ocp-backup`` command
listing its backup tasks and checking its newest full backup.

    .venv/bin/python tools/demo.py        (run by tools/main.sh after the set-up)

The stand-in serves the vendor's reference sample (cluster 1000005, tasks of September 2021)
and generated older tasks; the command is the installed console script, run as a user would run
it, with AccessKey credentials in the environment (the variables ``Client.from_env()`` reads).
Exit status: 0 when both commands ran and answered as the stand-in's data says they must (the
check reports WARNING: the newest full backup of that data is years old); 1 otherwise.
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
ACCESS_KEY = ("cqammmxBpfGjFlto", "2fc0c299cc94c6be266f2ceece765d4d")  # the spec's test vector
BANNER = """\
================================================================================
  ocp-client demo against the LOCAL OCP STAND-IN at {url}
  This is not a real OCP: tools/standin serves the spec's reference sample and
  generated tasks, and checks AccessKey signatures like OCP does.
================================================================================"""


def run(command: list[str], env: dict[str, str]) -> int:
    print(f"\n$ {' '.join(command)}", flush=True)
    return subprocess.run(command, env=env, timeout=120, check=False).returncode


def main() -> int:
    cli = Path(sys.executable).parent / "ocp-backup"
    credentials = Credentials(access_keys=dict([ACCESS_KEY]))
    with StandIn(credentials=credentials) as server:
        print(BANNER.format(url=server.base_url), flush=True)
        env = {
            **os.environ,
            ENVIRONMENT["url"]: server.base_url,
            ENVIRONMENT["access_key_id"]: ACCESS_KEY[0],
            ENVIRONMENT["access_key_secret"]: ACCESS_KEY[1],
        }
        listed = run([str(cli), "tasks", "--cluster", CLUSTER, "--limit", "8"], env)
        checked = run([str(cli), "check", "--cluster", CLUSTER, "--max-age", "26h"], env)
    print(f"\nocp-backup tasks exited {listed}; ocp-backup check exited {checked}", flush=True)
    # The stand-in's newest full backup finished in 2021: WARNING (1) is the right answer.
    return 0 if (listed, checked) == (0, 1) else 1


if __name__ == "__main__":
    sys.exit(main())
