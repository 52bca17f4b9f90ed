"""The online metrics per model over time as one PNG, for `npm run ops -- model-metrics --png FILE`.

Reads the operator report (GET /api/v1/learning/online-metrics with bucket=hour|day, the same JSON the command
prints with --json) on stdin and draws, per model version and arm, engagement rate at k, like, share and skip
rates per bucket. Rendered with matplotlib's Agg backend like models/charts.py; no display needed.
Usage: python3 models/online_charts.py OUT.png < report.json
"""
import json
import math
import sys
from datetime import datetime

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

PANELS = [
    ("engagementRateAtK", "engagement rate at {k} (per page)"),
    ("likeRate", "like rate (per shown item)"),
    ("shareRate", "share rate (per shown item)"),
    ("skipRate", "skip rate (per shown item)"),
]


def series(rows):
    """{(modelVersion, arm): [(bucket start, row), ...]} in time order."""
    out = {}
    for row in rows:
        start = datetime.fromisoformat(row["bucketStart"].replace("Z", "+00:00"))
        out.setdefault((row["modelVersion"], row["arm"]), []).append((start, row))
    return {key: sorted(points, key=lambda p: p[0]) for key, points in sorted(out.items())}


def draw(report, out):
    if report.get("bucket") not in ("hour", "day"):
        raise SystemExit("online_charts.py: the report needs bucket=hour or bucket=day rows")
    lines = series(report["rows"])
    days = len({p[0].date() for points in lines.values() for p in points})
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), dpi=100, sharex=True)
    for ax, (field, title) in zip(axes.flat, PANELS):
        for (version, arm), points in lines.items():
            ax.plot(
                [p[0] for p in points],
                [p[1][field] for p in points],
                marker="o",
                markersize=3,
                label=f"{version} ({arm})",
            )
        ax.set_title(title.format(k=report["k"]), fontsize=10)
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
        if report["bucket"] == "day":  # one tick a day (at most about ten), never hours between them
            ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, math.ceil(days / 10))))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
        else:
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M"))
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 3), fontsize=8)
    fig.suptitle(f"Online metrics per model, per {report['bucket']} since {report['since'][:16]}Z", fontsize=11)
    fig.tight_layout(rect=(0, 0.08 if handles else 0, 1, 1))
    fig.savefig(out, metadata={"Software": None})
    plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: online_charts.py OUT.png < report.json")
    draw(json.load(sys.stdin), sys.argv[1])
