"""PNG charts written next to the model card (charts/*.png) and embedded in MODEL_CARD.md: NDCG@k per ranker,
feature gain, score distributions of positives and negatives, and calibration (engagement per score decile).
Rendered with matplotlib's Agg backend (no display), fixed sizes and fonts, so a rerun draws the same charts."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from metrics import ndcg_at  # noqa: E402

K_MAX = 20


def mean_ndcg_curve(scores, labels, groups):
    curve = np.zeros(K_MAX)
    start = 0
    for size in groups:
        end = start + int(size)
        curve += [ndcg_at(scores[start:end], labels[start:end], k) for k in range(1, K_MAX + 1)]
        start = end
    return curve / max(len(groups), 1)


def write_charts(out, *, rankers, labels, groups, importance, model_key="model"):
    """rankers: {display name: scores over the held-out rows}; returns the chart file names (relative to out)."""
    directory = os.path.join(out, "charts")
    os.makedirs(directory, exist_ok=True)
    files = {}

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ks = np.arange(1, K_MAX + 1)
    for name, scores in rankers.items():
        ax.plot(ks, mean_ndcg_curve(scores, labels, groups), marker="o", markersize=3, label=name)
    ax.set_xlabel("k")
    ax.set_ylabel("mean NDCG@k (held-out)")
    ax.set_title("NDCG@k per ranker")
    ax.grid(alpha=0.3)
    ax.legend()
    files["ndcg"] = save(fig, directory, "ndcg_at_k.png")

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    names = list(importance.keys())
    total = sum(importance.values()) or 1
    ax.barh(names[::-1], [importance[n] / total for n in names[::-1]])
    ax.set_xlabel("share of split gain")
    ax.set_title("Feature gain")
    files["gain"] = save(fig, directory, "feature_gain.png")

    model = rankers[model_key]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    bins = np.linspace(float(np.min(model)), float(np.max(model)), 40)
    ax.hist(model[labels == 0], bins=bins, alpha=0.6, density=True, label="label 0 (skipped / sampled)")
    ax.hist(model[labels > 0], bins=bins, alpha=0.6, density=True, label="label > 0 (engaged)")
    ax.set_xlabel("model score")
    ax.set_ylabel("density")
    ax.set_title("Score distributions (held-out)")
    ax.legend()
    files["scores"] = save(fig, directory, "score_distributions.png")

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    edges = np.quantile(model, np.linspace(0, 1, 11))
    decile = np.clip(np.searchsorted(edges, model, side="right") - 1, 0, 9)
    rate = [float(np.mean(labels[decile == d] > 0)) if np.any(decile == d) else 0.0 for d in range(10)]
    ax.plot(np.arange(1, 11), rate, marker="o")
    ax.set_xlabel("model score decile (1 = lowest)")
    ax.set_ylabel("share engaged")
    ax.set_title("Calibration: engagement per score decile")
    ax.grid(alpha=0.3)
    files["calibration"] = save(fig, directory, "calibration.png")
    return files


def save(fig, directory, name):
    fig.tight_layout()
    fig.savefig(os.path.join(directory, name), metadata={"Software": None})
    plt.close(fig)
    return f"charts/{name}"
