import assert from 'node:assert/strict';
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import { PROBLEM_TYPE_BASE } from '../../../src/api/problems.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

/** Asserts an RFC 9457 problem with this status and type slug, and returns its body. */
export function assertProblem(res: InjectResponse, status: number, slug: string): ProblemBody {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json<ProblemBody>();
  assert.equal(body.type, PROBLEM_TYPE_BASE + slug);
  assert.equal(body.status, status);
  assert.ok(body.title, 'has a title');
  assert.ok(body.detail, 'has a detail');
  assert.ok(body.instance, 'has an instance');
  return body;
}
