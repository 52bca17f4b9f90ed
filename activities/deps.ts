import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';

export interface ActivityDeps {
  db: Db;
  redis: Redis;
}
