#!/usr/bin/env bash
# Set up this checkout on a machine that has Python 3.11 and Node 20: a .venv with the SDK
# (editable) and the pinned dev tools, and the pinned Node tools in tools/node_modules.
# Idempotent: it does nothing when the pins have not changed since the last run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python=${PYTHON:-}
if [[ -z $python ]]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null; then python=$candidate; break; fi
  done
fi
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup: Python >= 3.11 is needed, $python is $("$python" --version)" >&2; exit 1; }

# Headless Chromium renders the published API reference in tests/test_publish.py (Debian's
# package: a browser download by a test tool does not work on this network).
if ! command -v chromium >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium is missing; install Debian's chromium package (needs root)" >&2
    exit 1
  fi
fi

stamp=.venv/.ocp-setup-stamp
pins=$(cat pyproject.toml tools/constraints.txt tools/package-lock.json | sha256sum | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$pins" && -d tools/node_modules ]]; then
  exit 0
fi

if [[ ! -x .venv/bin/python ]]; then
  if ! "$python" -m venv .venv; then
    # Debian's own Python keeps venv (ensurepip) in a package of its own.
    rm -rf .venv
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      minor=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      apt-get update -qq && apt-get install -y -qq "python$minor-venv" >/dev/null
      "$python" -m venv .venv
    else
      echo "setup: $python cannot create a venv; install its venv package" >&2
      exit 1
    fi
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -c tools/constraints.txt -e '.[dev]'
npm ci --prefix tools --no-audit --no-fund --loglevel=error
echo "$pins" > "$stamp"
echo "setup: .venv and tools/node_modules are ready"
