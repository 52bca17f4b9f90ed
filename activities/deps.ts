import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import type { Config } from '../src/config.js';

/** What every activity factory receives from the worker: the stores, and the worker's own validated config. */
export interface ActivityDeps {
  db: Db;
  redis: Redis;
  /** The config the worker was started with, so activities never read the environment themselves. */
  config: Config;
}
