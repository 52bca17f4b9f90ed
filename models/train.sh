#!/usr/bin/env bash
# Trains the feed ranker end to end: simulate (unless an export is given) → features in TypeScript → LightGBM
# lambdarank → ONNX + model card + held-out split + parity fixture, all under models/.
#   models/train.sh                                  # simulated platform, seed 7
#   models/train.sh --events events.jsonl --content content.jsonl   # a real export (mongoexport, JSON lines)
# Python packages go into .tools/py-models (pinned in models/requirements.txt), never into the system.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS="" CONTENT="" SEED=7
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --content) CONTENT="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

PY_DIR=.tools/py-models
WORK=.tools/models-work
stamp="$PY_DIR/.requirements.sha256"
want="$(sha256sum models/requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$PY_DIR"
  python3 -m pip install --disable-pip-version-check --quiet --target "$PY_DIR" -r models/requirements.txt
  echo "$want" > "$stamp"
fi

if [ -z "$EVENTS" ]; then
  npx tsx models/simulate.ts --out "$WORK/sim" --seed "$SEED"
  EVENTS="$WORK/sim/events.jsonl" CONTENT="$WORK/sim/content.jsonl"
fi
[ -n "$CONTENT" ] || { echo "--events needs --content (the content catalog export)" >&2; exit 2; }

npx tsx models/build-dataset.ts --events "$EVENTS" --content "$CONTENT" --out "$WORK/dataset" --heldout models/heldout --seed "$SEED"
PYTHONPATH="$PY_DIR" PYTHONDONTWRITEBYTECODE=1 OMP_NUM_THREADS=1 python3 models/train.py --data "$WORK/dataset" --heldout models/heldout --out models --seed "$SEED"
# The generated card and fixture are committed: keep them in the repository's format so `npm run lint` passes.
npx prettier --log-level warn --write models/model-card.json models/MODEL_CARD.md models/fixtures/parity.json
