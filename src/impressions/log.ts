import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { isSampled, toImpression, type ServedPage } from './impression.js';
import { appendImpression, impressionsLogged } from './stream.js';

type ImpressionConfig = Pick<Config, 'IMPRESSION_SAMPLE_RATE' | 'IMPRESSION_STREAM_MAX_LEN'>;

/**
 * Logs a served page when its user is sampled. Not awaited by the route: the XADD goes out on the Redis
 * connection while the response is written, and its failure is only counted.
 */
export function logServedPage(redis: Redis, config: ImpressionConfig, page: ServedPage): void {
  if (page.items.length === 0) return;
  if (!isSampled(page.userId, config.IMPRESSION_SAMPLE_RATE)) {
    impressionsLogged.inc({ outcome: 'skipped' });
    return;
  }
  void appendImpression(redis, toImpression(page), config.IMPRESSION_STREAM_MAX_LEN);
}
