import type { Config } from '../config.js';
import { DAY_MS, HOUR_MS } from '../domain/decay.js';
import type { UserInterestSettings } from '../../workflows/user-interest/messages.js';

/** Workflow settings travel in the start input, so a running workflow keeps the settings it started with. */
export function userInterestSettings(config: Config): UserInterestSettings {
  return {
    halfLifeMs: config.INTEREST_HALF_LIFE_HOURS * HOUR_MS,
    topK: config.INTEREST_TOP_K,
    idleMs: config.INTEREST_IDLE_DAYS * DAY_MS,
    tickMs: config.INTEREST_TICK_HOURS * HOUR_MS,
    persistDebounceMs: config.INTEREST_PERSIST_DEBOUNCE_MS,
    eventsPerRun: config.INTEREST_EVENTS_PER_RUN,
  };
}
