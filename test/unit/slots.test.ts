import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMoney } from '../../src/nlp/intents/money.js';
import { extractSlots } from '../../src/nlp/intents/slots.js';
import { cleanText } from '../../src/nlp/intents/text.js';
import { findPreference, findScreen } from '../../src/nlp/intents/vocab.js';
import { findWhen } from '../../src/nlp/intents/when.js';

// Saturday 8 March 2025, 10:00 EST; US clocks go forward at 02:00 on Sunday 9 March.
const newYork = { timezone: 'America/New_York', nowMs: Date.parse('2025-03-08T15:00:00Z') };

const money = (text: string) => findMoney(cleanText(text))?.value;
const when = (text: string, clock = newYork) => findWhen(cleanText(text), clock)?.value;

void describe('amounts', () => {
  const cases: ReadonlyArray<readonly [string, number, string]> = [
    ['5 bucks', 5, 'USD'],
    ['$2', 2, 'USD'],
    ['two dollars', 2, 'USD'],
    ['twenty five dollars', 25, 'USD'],
    ['3.50 eur', 3.5, 'EUR'],
    ['€4.20', 4.2, 'EUR'],
    ['five euros', 5, 'EUR'],
    ['fifty cents', 0.5, 'USD'],
    ['five dollars and fifty cents', 5.5, 'USD'],
    ['a couple bucks', 2, 'USD'],
    ['a dollar', 1, 'USD'],
    ['a hundred bucks', 100, 'USD'],
    ['ten quid', 10, 'GBP'],
    ['£3', 3, 'GBP'],
    ['give her a 10 dollar tip', 10, 'USD'],
  ];
  for (const [text, value, currency] of cases) {
    void it(`"${text}" is ${value} ${currency}`, () => {
      assert.deepEqual(money(text), { value, minor: Math.round(value * 100), currency });
    });
  }

  void it('takes a bare number as a tip amount in the wallet currency', () => {
    assert.deepEqual(extractSlots('tip_creator', 'tip her 5', newYork), {
      amount: { value: 5, minor: 500 },
      refersToCurrent: true,
    });
  });

  void it('does not read times, counts or durations as money', () => {
    for (const text of ['at 8pm', 'the top 3 creators', 'for 90 minutes', 'at 8 p m'])
      assert.equal(money(text), undefined);
  });
});

void describe('dates and times in the user time zone', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    // Sunday is already EDT (UTC-4) although "now" is still EST (UTC-5).
    ['tomorrow at 8pm', '2025-03-10T00:00:00.000Z'],
    ['tonight at 9', '2025-03-09T02:00:00.000Z'],
    ['tonight at nine', '2025-03-09T02:00:00.000Z'],
    ['in 2 hours', '2025-03-08T17:00:00.000Z'],
    ['in half an hour', '2025-03-08T15:30:00.000Z'],
    ['in an hour and a half', '2025-03-08T16:30:00.000Z'],
    ['friday 18:30', '2025-03-14T22:30:00.000Z'],
    ['saturday at noon', '2025-03-08T17:00:00.000Z'],
    ['next saturday at noon', '2025-03-15T16:00:00.000Z'],
    ['at 9', '2025-03-09T02:00:00.000Z'],
    ['at 9 in the morning', '2025-03-09T13:00:00.000Z'],
    ['at 8:30 pm', '2025-03-09T01:30:00.000Z'],
    ['june 5 at 7pm', '2025-06-05T23:00:00.000Z'],
    ['tonight at 12', '2025-03-09T05:00:00.000Z'],
    // 02:30 does not exist on 9 March: moved forward by the gap, like Temporal's "compatible".
    ['at 2:30am tomorrow', '2025-03-09T07:30:00.000Z'],
  ];
  for (const [text, iso] of cases) {
    void it(`"${text}" → ${iso}`, () => assert.deepEqual(when(text), { iso, precision: 'minute' }));
  }

  void it('gives day and part-of-day precision when no clock time is said', () => {
    assert.deepEqual(when('tomorrow'), { iso: '2025-03-09T05:00:00.000Z', precision: 'day' });
    assert.deepEqual(when('tomorrow evening'), { iso: '2025-03-09T23:00:00.000Z', precision: 'part_of_day' });
  });

  void it('handles the autumn change and the earlier of two 01:30s in London', () => {
    const london = { timezone: 'Europe/London', nowMs: Date.parse('2025-10-25T12:00:00Z') };
    assert.equal(when('tomorrow at 8pm', london)?.iso, '2025-10-26T20:00:00.000Z');
    assert.equal(when('tomorrow at 1:30am', london)?.iso, '2025-10-26T00:30:00.000Z');
  });

  void it('handles half-hour offsets and southern-hemisphere DST', () => {
    const kolkata = { timezone: 'Asia/Kolkata', nowMs: Date.parse('2025-03-08T15:00:00Z') };
    assert.equal(when('tonight at 9', kolkata)?.iso, '2025-03-08T15:30:00.000Z');
    const sydney = { timezone: 'Australia/Sydney', nowMs: Date.parse('2025-04-05T00:00:00Z') };
    assert.equal(when('tomorrow at 8pm', sydney)?.iso, '2025-04-06T10:00:00.000Z');
  });

  void it('ignores things that only look like times', () => {
    for (const text of ['at 45', 'february 30', 'tip @alice 5 dollars', 'the top 3 creators'])
      assert.equal(when(text), undefined);
  });
});

void describe('creators', () => {
  void it('reads explicit handles, possessives and bare names after the verb', () => {
    assert.deepEqual(extractSlots('follow_creator', 'yo follow @alice', newYork), { creator: 'alice' });
    assert.deepEqual(extractSlots('open_creator', "go to alice's channel", newYork), { creator: 'alice' });
    assert.equal(extractSlots('tip_creator', 'can you tip bob five bucks', newYork).creator, 'bob');
    assert.equal(extractSlots('block_creator', 'block @hater99', newYork).creator, 'hater99');
  });

  void it('keeps every handle when several are named', () => {
    assert.deepEqual(extractSlots('follow_creator', 'follow @tom and @sam', newYork), {
      creator: 'tom',
      creators: ['tom', 'sam'],
    });
  });

  void it('marks references to the creator on screen', () => {
    assert.deepEqual(extractSlots('follow_creator', 'follow her', newYork), { refersToCurrent: true });
    assert.deepEqual(extractSlots('block_creator', 'block the creator of this video', newYork), {
      refersToCurrent: true,
    });
    assert.equal(extractSlots('follow_creator', 'i want to follow her', newYork).creator, undefined);
  });

  void it('reads the recipient of a share', () => {
    assert.deepEqual(extractSlots('share_item', 'send this to @alice', newYork), { recipient: 'alice' });
    assert.deepEqual(extractSlots('share_item', 'get me a link to share this', newYork), {});
  });
});

void describe('counts, topics and durations', () => {
  void it('reads "the top 3 gaming creators"', () => {
    assert.deepEqual(extractSlots('follow_creator', 'follow the top three gaming creators', newYork), {
      topic: 'gaming',
      count: 3,
    });
    assert.deepEqual(extractSlots('search', 'search for the top 5 travel vlogs', newYork), {
      topic: 'travel vlogs',
      count: 5,
    });
  });

  void it('reads search topics', () => {
    assert.equal(extractSlots('search', 'show me videos about street food', newYork).topic, 'street food');
    assert.equal(extractSlots('search', 'find creators who do woodworking', newYork).topic, 'woodworking');
  });

  const durations: ReadonlyArray<readonly [string, number]> = [
    ['schedule a show tomorrow at 7pm for 90 minutes', 90],
    ['put my music show on at 9 tonight for an hour', 60],
    ['schedule a show friday at 8 for two hours', 120],
    ['schedule a 30 minute show in 3 hours', 30],
    ['schedule a show tonight at 9 for an hour and a half', 90],
  ];
  for (const [text, minutes] of durations) {
    void it(`"${text}" lasts ${minutes} minutes`, () => {
      assert.equal(extractSlots('schedule_show', text, newYork).durationMinutes, minutes);
    });
  }

  void it('reads "in 2 hours" as a start, not a length', () => {
    const slots = extractSlots('schedule_show', 'schedule a gaming stream in 2 hours', newYork);
    assert.deepEqual(slots, {
      topic: 'gaming',
      when: { iso: '2025-03-08T17:00:00.000Z', precision: 'minute' },
    });
  });

  void it('reads show titles and stations', () => {
    assert.equal(
      extractSlots('schedule_show', 'create a show called late night chat for thursday 11pm', newYork).title,
      'late night chat',
    );
    assert.equal(extractSlots('open_station', 'open the jazz station', newYork).station, 'jazz');
    assert.equal(extractSlots('open_station', 'tune in to retro tv', newYork).station, 'retro tv');
    assert.equal(extractSlots('open_station', 'go to station @cooking_tv', newYork).station, 'cooking_tv');
    assert.equal(
      extractSlots('schedule_show', 'book my station for a show on sunday at 4pm', newYork).station,
      undefined,
    );
  });
});

void describe('screens and preferences', () => {
  const screens: ReadonlyArray<readonly [string, string]> = [
    ['take me home', 'home'],
    ['um go to the for you feed', 'feed'],
    ['open creator studio', 'studio'],
    ['show the trending page', 'explore'],
    ['go to my inbox', 'messages'],
    ['pull up my notifications', 'notifications'],
    ['navigate to my profile', 'profile'],
    ['open settings please', 'settings'],
    ['switch to the live tab', 'live'],
  ];
  for (const [text, screen] of screens) {
    void it(`"${text}" opens ${screen}`, () => assert.equal(findScreen(cleanText(text)), screen));
  }

  const preferences: ReadonlyArray<readonly [string, string, boolean | string]> = [
    ['turn off autoplay', 'autoplay', false],
    ['enable captions', 'captions', true],
    ['mute notifications', 'notifications', false],
    ['turn notifications back on', 'notifications', true],
    ["i don't want autoplay", 'autoplay', false],
    ['switch to light mode', 'theme', 'light'],
    ['turn off dark mode', 'theme', 'light'],
    ['set my language to spanish', 'language', 'es'],
    ['set video quality to hd', 'video_quality', 'high'],
  ];
  for (const [text, key, value] of preferences) {
    void it(`"${text}" sets ${key} to ${String(value)}`, () =>
      assert.deepEqual(findPreference(cleanText(text)), { key, value }));
  }
});
