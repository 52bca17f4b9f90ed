#!/usr/bin/env bash
# Trains the feed ranker end to end: simulate (unless an export is given) → features in TypeScript → LightGBM
# lambdarank → ONNX + model card + charts + held-out split + parity fixture, all under models/.
#   models/train.sh [--extra-worlds 2]               # simulated platform, seed 7 (+ seeds 8, 9 for training only)
#   models/train.sh --events events.jsonl --content content.jsonl   # a real export (mongoexport, JSON lines)
#   models/train.sh --from-store [--registry DIR]    # retrain on MONGO_URL/MONGO_DB (events, impressions, content):
#       a candidate with its own held-out split, evaluated against the serving model and both baselines, installed
#       in the registry (default models/registry) and promoted only by the rule in src/learning/promotion.ts.
# Python packages go into $MODELS_PY_DIR (default .tools/py-models; pinned in models/requirements.txt) by
# models/py-env.sh, never into the system; the install is redone only when the requirements change. Intermediate
# files (simulation, dataset) go into $MODELS_WORK_DIR (default .tools/models-work).
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS="" CONTENT="" SEED=7 FROM_STORE="" REGISTRY="" EXTRA_WORLDS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --content) CONTENT="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --from-store) FROM_STORE=1; shift ;;
    --registry) REGISTRY="$2"; shift 2 ;;
    --extra-worlds) EXTRA_WORLDS="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

PY_DIR="$(bash models/py-env.sh)"
WORK="${MODELS_WORK_DIR:-.tools/models-work}"
# PYTHONHASHSEED: onnxmltools writes opset imports in set order, which string hashing would reshuffle per run.
train() { PYTHONPATH="$PY_DIR" PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 OMP_NUM_THREADS=1 MPLBACKEND=Agg python3 models/train.py "$@"; }

if [ -n "$FROM_STORE" ]; then
  RUN="$(mktemp -d "${TMPDIR:-/tmp}/retrain.XXXXXX")"
  REGISTRY_ARGS=()
  [ -n "$REGISTRY" ] && REGISTRY_ARGS=(--registry "$REGISTRY")
  npx tsx models/export-store.ts --out "$RUN/export"
  CURRENT="$(npx tsx models/promote.ts --current-path "${REGISTRY_ARGS[@]}")"
  mkdir -p "$RUN/candidate/heldout"
  npx tsx models/build-dataset.ts --events "$RUN/export/events.jsonl" --content "$RUN/export/content.jsonl" \
    --impressions "$RUN/export/impressions.jsonl" --out "$RUN/dataset" --heldout "$RUN/candidate/heldout" --seed "$SEED"
  train --data "$RUN/dataset" --heldout "$RUN/candidate/heldout" --out "$RUN/candidate" --seed "$SEED" --current "$CURRENT"
  npx tsx models/promote.ts --candidate "$RUN/candidate" "${REGISTRY_ARGS[@]}"
  rm -rf "$RUN"
  exit 0
fi

EXTRA_TRAIN=()
if [ -z "$EVENTS" ]; then
  npx tsx models/simulate.ts --out "$WORK/sim" --seed "$SEED"
  EVENTS="$WORK/sim/events.jsonl" CONTENT="$WORK/sim/content.jsonl"
  # More simulated sessions for training only: other seeds' worlds, every day of them (no test or valid days).
  # Validation and the held-out split stay the main world's, so the comparison with the baselines is unchanged.
  for ((i = 1; i <= EXTRA_WORLDS; i++)); do
    world="$WORK/world-seed$((SEED + i))"
    npx tsx models/simulate.ts --out "$world/sim" --seed "$((SEED + i))"
    npx tsx models/build-dataset.ts --events "$world/sim/events.jsonl" --content "$world/sim/content.jsonl" \
      --out "$world/dataset" --heldout "$world/unused" --seed "$((SEED + i))" --test-days 0 --valid-days 0
    EXTRA_TRAIN+=("$world/dataset")
  done
fi
[ -n "$CONTENT" ] || { echo "--events needs --content (the content catalog export)" >&2; exit 2; }

npx tsx models/build-dataset.ts --events "$EVENTS" --content "$CONTENT" --out "$WORK/dataset" --heldout models/heldout --seed "$SEED"
train --data "$WORK/dataset" --heldout models/heldout --out models --seed "$SEED" ${EXTRA_TRAIN[@]+--extra-train "${EXTRA_TRAIN[@]}"}
# The generated card and fixture are committed: keep them in the repository's format so `npm run lint` passes.
npx prettier --log-level warn --write models/model-card.json models/MODEL_CARD.md models/fixtures/parity.json
