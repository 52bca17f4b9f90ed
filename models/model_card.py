"""Writes models/model-card.json (read by src/ranking/onnx-ranker.ts and the tests) and MODEL_CARD.md (for
people). Both come from the same values so they cannot disagree. No timestamps: a rerun on the same data gives
byte-identical files, which is how a reviewer sees that a retrain changed nothing."""
import json
import os

FEATURE_NOTES = {
    "interest_match": "cosine of the user's topic interests and the item's topics (-1..1; dislikes count)",
    "content_type_pref": "share of the user's content-type interest going to the item's type (uniform if unknown)",
    "creator_score": "creator score / 100",
    "creator_tier": "tier ordinal: bronze 0, silver 1, gold 2, platinum 3, diamond 4",
    "follows_creator": "1 if the user follows the creator",
    "item_age_log_hours": "ln(1 + item age in hours)",
    "popularity_decayed": "ln(1 + engagement-weighted counts x 2^(-age / 48 h))",
    "engagement_rate": "(likes + comments + shares + 2.5) / (views + 50)",
    "engagement_style_fit": "log2 lift of the item's rate of the user's typical action (0 for lurkers)",
    "hour_fit": "user's activity at the item's UTC publication hour, relative to their busiest hour",
    "creator_shown_above": "items of the creator already shown above in the list (capped at 5)",
    "profile_depth": "ln(1 + events behind the profile)",
    "watch_rate": "(views + 6) / (views + skips + 20): how often the people shown the item watched it",
    "exposure_log": "ln(1 + views + skips): how often the item has been shown",
    "is_live": "1 for a live recording (these go stale faster)",
    "interest_share": "mean over item topics of the user's interest relative to their favourite topic (-1..1)",
    "hour_window_share": "share of the user's activity within 2 h of the item's UTC publication hour",
    "content_type_affinity": "user's signed interest in the item's type over their strongest type (-1..1)",
    "creator_watch_rate": "(views + 6) / (views + skips + 20) over all of the creator's items",
}


def write_card(out, *, model_version, feature_version, names, params, trees, summary, metrics, parity, onnx, importance,
               charts=None, validation=None):
    card = {
        "modelVersion": model_version,
        "featureVersion": feature_version,
        "featureNames": names,
        # Share of the total split gain per feature: what the trees actually use.
        "featureImportanceGain": {n: round(v / (sum(importance.values()) or 1), 4) for n, v in importance.items()},
        "framework": "lightgbm 4.7.0 lambdarank, exported with onnxmltools 1.16.0",
        "params": params,
        "trees": trees,
        "onnx": onnx,
        "training": summary,
        "metrics": {
            "split": "held-out time split (models/heldout): sessions from " + summary["testFrom"] + " on",
            "queries": summary["splits"]["test"]["queries"],
            "heldout": metrics,
            "onnxVsLightgbmMaxAbsDiff": parity,
        },
        # The hyperparameters were chosen on this split (never on the held-out one): each grid point's NDCG@10.
        "validation": validation or {},
        "charts": charts or {},
    }
    with open(os.path.join(out, "model-card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "MODEL_CARD.md"), "w") as f:
        f.write(markdown(card))


def markdown(card):
    t = card["training"]
    s = t["splits"]
    m = card["metrics"]["heldout"]
    gain = card["featureImportanceGain"]
    rows = "\n".join(
        f"| {i} | `{n}` | {FEATURE_NOTES.get(n, '')} | {gain.get(n, 0):.3f} |" for i, n in enumerate(card["featureNames"])
    )
    diverse = any("creators@10" in v for v in m.values())
    header = "| ranker | NDCG@10 | recall@50 |" + (" creators in top 10 | topics in top 10 |" if diverse else "")
    rule = "|---|---|---|" + ("---|---|" if diverse else "")
    table = "\n".join(
        f"| {name} | {m[key]['ndcg@10']:.4f} | {m[key]['recall@50']:.4f} |"
        + (f" {m[key].get('creators@10', '–')} | {m[key].get('topics@10', '–')} |" if diverse else "")
        for key, name in (("model", "LightGBM lambdarank (ONNX)"), ("fallback", "rule-based (fallback ranker)"),
                          ("popularity", "popularity (decayed)"), ("current", "current model (before this run)"))
        if key in m
    )
    extra = t.get("extraTraining") or []
    extra_note = (
        f" Training also takes every session of {len(extra)} more simulated worlds"
        f" ({', '.join(extra)}; same simulator, other seeds); validation and test stay this world's."
        if extra
        else ""
    )
    v = card.get("validation") or {}
    def params_text(params):
        return ", ".join(f"{k} {val}" for k, val in params.items())

    grid = "\n".join(
        f"| {params_text(trial['params'])} | {trial['trees']} | {trial['validNdcg@10']:.4f} |"
        for trial in v.get("grid", [])
    )
    chosen = ", ".join(f"`{k}` {card['params'][k]}" for k in (v["grid"][0]["params"] if v.get("grid") else []))
    gain_valid = v["model"]["ndcg@10"] / v["fallback"]["ndcg@10"] - 1 if v.get("grid") else 0.0
    selection = (
        f"""
## Hyperparameters (chosen on validation)

Each point of the grid is trained with early stopping on the validation split and scored there (mean NDCG@10);
the best is kept, and only then is the held-out split read. Validation NDCG@10: model {v['model']['ndcg@10']:.4f},
rule-based {v['fallback']['ndcg@10']:.4f} ({gain_valid:+.1%}). Chosen: {chosen}.

| params | trees | validation NDCG@10 |
|---|---|---|
{grid}
"""
        if v.get("grid")
        else ""
    )
    ratio = (
        f"\nLightGBM vs rule-based on NDCG@10: {m['model']['ndcg@10'] / m['fallback']['ndcg@10'] - 1:+.1%}.\n"
        if "fallback" in m and m["fallback"]["ndcg@10"] > 0
        else ""
    )
    charts = card.get("charts") or {}
    pictures = "\n\n".join(f"![{name}]({path})" for name, path in charts.items())
    charts_section = f"\n## Charts\n\n{pictures}\n" if charts else ""
    return f"""# Feed ranker — model card

Generated by `models/train.sh` (do not edit by hand; `model-card.json` holds the same values).

- Model version: `{card['modelVersion']}` ({card['trees']} trees, {card['onnx']['bytes']} bytes of ONNX)
- Feature version: **{card['featureVersion']}**; `src/ranking/onnx-ranker.ts` refuses a card whose version or
  feature list differs from `src/ranking/features.ts`, and the feed falls back to the rule-based ranker.
- Input `{card['onnx']['input']}`: float32 [n, {len(card['featureNames'])}] in the order below; output
  `{card['onnx']['output']}`: one score per row, higher ranks first (scores only order a list).

## Features

| # | name | meaning | share of split gain |
|---|---|---|---|
{rows}

## Training data

{t['source']['eventCount']} events of {t['users']} users on {t['source']['items']} items
(`{t['source']['events']}`, `{t['source']['content']}`): by default the output of the interaction simulator
(`models/simulate.ts`, seed 7), or a real `events` export via `models/train.sh --events F --content F`.
A query is one user session with at least one positive reaction; labels 0 skip/hide/report or unseen,
1 watched, 2 liked/commented, 3 shared/tipped/followed; {t['negatives']['train']} (train) /
{t['negatives'].get('valid', t['negatives']['train'])} (validation) / {t['negatives']['test']} (test) unseen released
items are sampled per query as negatives, each split from its own random stream.{extra_note} Features are computed by
the TypeScript feature code on the state replayed from events before the session (profile half-life
{t['halfLifeDays']} days).

| split | from | queries | rows | positives |
|---|---|---|---|---|
| train | start | {s['train']['queries']} | {s['train']['rows']} | {s['train']['positives']} |
| valid (early stopping, hyperparameters) | {t['validFrom']} | {s['valid']['queries']} | {s['valid']['rows']} | {s['valid']['positives']} |
| test (held out, committed) | {t['testFrom']} | {s['test']['queries']} of {t['testQueriesAvailable']} | {s['test']['rows']} | {s['test']['positives']} |

## Offline metrics (held-out time split)

{header}
{rule}
{table}
{ratio}
Reproduced from the committed `models/heldout/` and `models/ranker.onnx` by `test/unit/model-metrics.test.ts`.
ONNX vs LightGBM on the held-out rows: max |diff| {card['metrics']['onnxVsLightgbmMaxAbsDiff']:.2e}
(fixture: `models/fixtures/parity.json`).
{selection}{charts_section}
## Limits

Trained on simulated behaviour: the numbers show the pipeline works end to end and that the model learns what
the simulator hides (topic taste, creator quality, fatigue), not how it will do on real users. Retrain on an
export of the `events` collection before trusting it in production. Sampled negatives are unseen items counted
as irrelevant, so absolute values are lower bounds; the comparison between rankers is what matters.
Features with almost no gain here (creator_tier, engagement_style_fit, hour_fit) carry signals the simulator
barely models (tier adds nothing beyond the score; users have no style-specific appetite; regions are only
loosely tied to hours); they stay in the vector because real behaviour may well depend on them.
Counts (views, likes, shares, skips, creator exposures) are replayed over the whole history here, while serving
reads them from the last 48 h of events (`content-pop`, `creator-pop`, refreshed by batch scoring). That skew
predates feature version 2 (it already held for views and likes); the offline figures above do not measure it.
"""
