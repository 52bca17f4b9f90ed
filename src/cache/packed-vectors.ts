/**
 * Topic vectors packed for scoring many at once. Per topic 16 bytes: a 48-bit hash of its name in two little-endian
 * uint32 (30 and 18 bits, so each reads back as a small integer) and its score as a little-endian double. Scoring
 * 2,000 candidates reads them as Buffers: no JSON text decoded or parsed, no object per candidate; only the few kept
 * get their shared topics' names back. Two names with the same hash would count as one topic when compared: with
 * 10k topics in use the chance that any two collide is about 2 in 10^7 (10^12 / 2^49 for a million).
 */
import { createHash } from 'node:crypto';
import { cosineOf, vectorNorm } from '../domain/interest-profile.js';

const BYTES_PER_TOPIC = 16;
const LOW_BITS = 0x3fff_ffff;
const HIGH_BITS = 0x3_ffff;

/** Names hashed so far, per process: topics are a bounded vocabulary, hashed again with every profile written. */
const hashes = new Map<string, readonly [low: number, high: number]>();
const MAX_HASHES = 100_000;

/** 48 bits of the name's MD5, as a low 30-bit and a high 18-bit part. */
export function topicHash(topic: string): readonly [low: number, high: number] {
  let hash = hashes.get(topic);
  if (hash === undefined) {
    const digest = createHash('md5').update(topic).digest();
    hash = [digest.readUInt32LE(0) & LOW_BITS, digest.readUInt32LE(4) & HIGH_BITS];
    if (hashes.size >= MAX_HASHES) hashes.clear();
    hashes.set(topic, hash);
  }
  return hash;
}

/** The vector in its own key order, the order its sum of squares is taken in by every reader. */
export function packVector(topics: Record<string, number>): Buffer {
  const entries = Object.entries(topics);
  const packed = Buffer.allocUnsafe(entries.length * BYTES_PER_TOPIC);
  entries.forEach(([topic, score], i) => {
    const [low, high] = topicHash(topic);
    packed.writeUInt32LE(low, i * BYTES_PER_TOPIC);
    packed.writeUInt32LE(high, i * BYTES_PER_TOPIC + 4);
    packed.writeDoubleLE(score, i * BYTES_PER_TOPIC + 8);
  });
  return packed;
}

/** Scores packed vectors against one user's vector. */
export interface PackedScorer {
  /** Exactly cosineAgainst(own)(the packed vector): the same sums in the same order. */
  similarity(packed: Buffer): number;
  /** The packed vector's scores of the topics it shares with `own`, by name. */
  shared(packed: Buffer): Record<string, number>;
}

export function packedScorer(own: Record<string, number>): PackedScorer {
  const entries = Object.entries(own);
  const positions = new Map<number, number>();
  const highs = new Int32Array(entries.length);
  entries.forEach(([topic], i) => {
    const [low, high] = topicHash(topic);
    positions.set(low, i);
    highs[i] = high;
  });
  const ownScores = Float64Array.from(entries, ([, score]) => score);
  const normA = vectorNorm(own);
  const matched = new Float64Array(entries.length);
  /** Calls `found` with the own position and score of each topic the packed vector shares; returns its squares. */
  const walk = (packed: Buffer, found: (position: number, score: number) => void): number => {
    let sumSquares = 0;
    for (let at = 0; at + BYTES_PER_TOPIC <= packed.length; at += BYTES_PER_TOPIC) {
      const score = packed.readDoubleLE(at + 8);
      sumSquares += score * score;
      const position = positions.get(packed.readUInt32LE(at));
      if (position !== undefined && highs[position] === packed.readUInt32LE(at + 4)) found(position, score);
    }
    return sumSquares;
  };
  const match = (position: number, score: number) => (matched[position] = score);
  return {
    similarity(packed) {
      matched.fill(0);
      const sumSquares = walk(packed, match);
      let dot = 0;
      for (let i = 0; i < ownScores.length; i++) dot += (ownScores[i] as number) * (matched[i] as number);
      return cosineOf(dot, normA, sumSquares);
    },
    shared(packed) {
      const scores: Record<string, number> = {};
      walk(packed, (position, score) => (scores[(entries[position] as [string, number])[0]] = score));
      return scores;
    },
  };
}
