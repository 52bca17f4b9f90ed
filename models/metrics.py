"""Offline ranking metrics, defined exactly as test/unit/model-metrics.test.ts recomputes them: rows of a
query are ordered by score, highest first, ties by row order (a stable sort; the dataset shuffles rows within a
query so ties favour nobody); gain 2^label − 1 with a log2(rank + 2) discount; recall counts labels > 0."""
import numpy as np


def ndcg_at(scores, labels, k):
    order = np.argsort(-scores.astype(np.float64), kind="stable")
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    gains = np.power(2.0, labels[order][:k]) - 1.0
    ideal = np.power(2.0, np.sort(labels)[::-1][:k]) - 1.0
    idcg = float(np.sum(ideal * discounts[: len(ideal)]))
    return float(np.sum(gains * discounts[: len(gains)])) / idcg if idcg > 0 else 0.0


def recall_at(scores, labels, k):
    order = np.argsort(-scores.astype(np.float64), kind="stable")
    relevant = labels > 0
    total = int(np.sum(relevant))
    return float(np.sum(relevant[order][:k])) / total if total > 0 else 0.0


def mean_metrics(scores, labels, groups):
    ndcg, recall, start = [], [], 0
    for size in groups:
        end = start + int(size)
        ndcg.append(ndcg_at(scores[start:end], labels[start:end], 10))
        recall.append(recall_at(scores[start:end], labels[start:end], 50))
        start = end
    return {"ndcg@10": round(float(np.mean(ndcg)), 6), "recall@50": round(float(np.mean(recall)), 6)}


def diversity_at(scores, groups, items, k=10):
    """Mean distinct creators and topics among each query's top k; items[row] = [creatorId, [topics]]."""
    creators, topics, start = [], [], 0
    for size in groups:
        end = start + int(size)
        top = start + np.argsort(-scores[start:end].astype(np.float64), kind="stable")[:k]
        creators.append(len({items[r][0] for r in top}))
        topics.append(len({t for r in top for t in items[r][1]}))
        start = end
    return {"creators@10": round(float(np.mean(creators)), 3), "topics@10": round(float(np.mean(topics)), 3)}
