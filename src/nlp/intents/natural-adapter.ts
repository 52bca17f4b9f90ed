// Deep import on purpose: natural's root module also loads its storage backends, which call
// dotenv at import time and print to stdout in every process that uses Brain Mode.
import { BayesClassifier } from 'natural/lib/natural/classifiers/index.js';

/**
 * The one place that knows natural's classifier internals. The classifier is fed token arrays
 * (natural skips its own tokenising and stop-word removal then, which would drop "on", "off",
 * "up": words that decide between "turn on", "turn off" and "what's on").
 */

export interface LabelledFeatures {
  features: string[];
  label: string;
}

/** What model.json stores: natural's vocabulary and its Bayes counts, nothing else. */
export interface SerializedBayes {
  vocabulary: Record<string, number>;
  classFeatures: Record<string, Record<number, number>>;
  classTotals: Record<string, number>;
  totalExamples: number;
  smoothing: number;
}

export interface LabelScore {
  label: string;
  probability: number;
}

/** natural's inner Bayes model: given the positions of the features present, the joint likelihood of each label. */
interface SparseBayes {
  getClassifications(observation: Record<number, number>): Array<{ label: string; value: number }>;
}

export class BayesIntentScorer {
  /** Each feature's position in natural's feature vectors (the vocabulary's key order). */
  private readonly positions: ReadonlyMap<string, number>;

  private constructor(private readonly classifier: BayesClassifier) {
    this.positions = new Map(Object.keys(classifier.features).map((feature, position) => [feature, position]));
  }

  static train(examples: readonly LabelledFeatures[]): BayesIntentScorer {
    const classifier = new BayesClassifier();
    for (const { features, label } of examples) classifier.addDocument(features, label);
    classifier.train();
    return new BayesIntentScorer(classifier);
  }

  static restore(saved: SerializedBayes): BayesIntentScorer {
    const { vocabulary, ...counts } = saved;
    return new BayesIntentScorer(
      BayesClassifier.restore({ features: vocabulary, docs: [], lastAdded: 0, classifier: counts }),
    );
  }

  serialize(): SerializedBayes {
    const { classFeatures, classTotals, totalExamples, smoothing } = this.classifier.classifier;
    return { vocabulary: this.classifier.features, classFeatures, classTotals, totalExamples, smoothing };
  }

  knows(feature: string): boolean {
    return Object.hasOwn(this.classifier.features, feature);
  }

  /** Features seen in the examples of some label other than `except`: what the in-scope intents know. */
  knownOutside(except: string): Set<string> {
    const { classFeatures } = this.classifier.classifier;
    const seen = new Set<number>();
    for (const [label, counts] of Object.entries(classFeatures)) {
      if (label === except) continue;
      for (const [index, count] of Object.entries(counts)) if (count > 0) seen.add(Number(index));
    }
    // natural's feature vectors follow the vocabulary's key order (its values are document counts, not positions).
    return new Set(Object.keys(this.classifier.features).filter((_, position) => seen.has(position)));
  }

  /**
   * Labels with posterior probabilities (natural returns unnormalised joint likelihoods), best
   * first. With no known feature at all every label gets its prior, which reads as "unsure".
   */
  score(features: readonly string[]): LabelScore[] {
    // natural's own entry point builds a dense vector by scanning the whole vocabulary for every feature (most of
    // understand's time); its model also takes the sparse form, the present features' positions, with equal results.
    const present = [...new Set(features.flatMap((f) => this.positions.get(f) ?? []))];
    const sparse = Object.fromEntries(present.map((position, i) => [i, position]));
    const raw = (this.classifier.classifier as unknown as SparseBayes).getClassifications(sparse);
    const total = raw.reduce((sum, c) => sum + c.value, 0);
    const uniform = 1 / Math.max(raw.length, 1);
    return raw
      .map((c) => ({ label: c.label, probability: total > 0 ? c.value / total : uniform }))
      .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
  }
}
