#!/usr/bin/env bash
# The main job: set everything up, then start the local OCP stand-in on 127.0.0.1 and run the
# ocp-backup command against it (list the backup tasks, check the newest full backup).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup.sh
exec .venv/bin/python tools/demo.py
