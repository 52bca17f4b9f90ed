#!/usr/bin/env bash
# Installs the pinned Python packages of models/requirements.txt (LightGBM, ONNX, matplotlib) into
# $MODELS_PY_DIR (default .tools/py-models) with pip --target, never into the system, and prints that directory.
# The install is redone only when the requirements change. Used by models/train.sh and `ops model-metrics --png`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY_DIR="${MODELS_PY_DIR:-.tools/py-models}"
stamp="$PY_DIR/.requirements.sha256"
want="$(sha256sum models/requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$PY_DIR"
  # stdout carries only the directory: pip's messages go to stderr.
  python3 -m pip install --disable-pip-version-check --quiet --target "$PY_DIR" -r models/requirements.txt >&2
  echo "$want" > "$stamp"
fi
echo "$PY_DIR"
