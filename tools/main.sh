#!/usr/bin/env bash
# The main job: set up, regenerate the SDK from openapi/, lint the spec, build the wheel.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup.sh
.venv/bin/python tools/generate.py
.venv/bin/python tools/lint_spec.py
.venv/bin/python -m build --wheel --outdir dist/ . >/dev/null
echo "main: built $(ls -t dist/*.whl | head -n 1)"
