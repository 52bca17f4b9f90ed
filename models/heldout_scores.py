"""Writes LightGBM's raw score for every held-out row to models/fixtures/heldout-lightgbm-scores.f64.gz, so
test/unit/onnx-parity.test.ts checks the committed ONNX model against LightGBM on all of them (the model card's
parity figure), not on the 50-row sample in parity.json.

The booster is trained again as models/train.py trains it (same dataset, parameters and seed; training is
deterministic), and its ONNX export must be byte-identical to the committed models/ranker.onnx, so the scores
are those of the model that ships. Run after models/train.sh, which leaves the dataset in .tools/models-work:
  PYTHONPATH=.tools/py-models OMP_NUM_THREADS=1 python3 models/heldout_scores.py
"""
import argparse
import gzip
import os
import sys

import lightgbm as lgb
import numpy as np
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType

from train import EARLY_STOPPING, MAX_ROUNDS, PARAMS, load_split


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=".tools/models-work/dataset")
    parser.add_argument("--heldout", default="models/heldout")
    parser.add_argument("--model", default="models/ranker.onnx")
    parser.add_argument("--out", default="models/fixtures/heldout-lightgbm-scores.f64.gz")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    train_meta, x_train, y_train, g_train, _ = load_split(args.data, "train")
    _, x_valid, y_valid, g_valid, _ = load_split(args.data, "valid")
    _, x_test, _, _, _ = load_split(args.heldout, "heldout", gz=True)
    names = train_meta["featureNames"]

    train_set = lgb.Dataset(x_train, y_train, group=g_train, feature_name=names, free_raw_data=False)
    valid_set = lgb.Dataset(x_valid, y_valid, group=g_valid, reference=train_set)
    booster = lgb.train(
        dict(PARAMS, seed=args.seed), train_set, num_boost_round=MAX_ROUNDS, valid_sets=[valid_set],
        callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)],
    )
    booster.best_iteration = booster.best_iteration or MAX_ROUNDS
    booster = lgb.Booster(model_str=booster.model_to_string(num_iteration=booster.best_iteration))

    onnx_bytes = convert_lightgbm(
        booster, name="powerstream-feed-ranker",
        initial_types=[("features", FloatTensorType([None, len(names)]))], zipmap=False,
    ).SerializeToString()
    with open(args.model, "rb") as f:
        if f.read() != onnx_bytes:
            sys.exit(f"the retrained booster does not export to {args.model}: retrain with models/train.sh first")

    scores = booster.predict(x_test, raw_score=True).astype("<f8")
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write(scores.tobytes())
    print(f"{len(scores)} held-out LightGBM scores -> {args.out}")


if __name__ == "__main__":
    main()
