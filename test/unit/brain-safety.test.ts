import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAPABILITIES, understand, type Understanding } from '../../src/api/routes/brain/plan.js';
import { recognizeIntent } from '../../src/nlp/intents/classifier.js';
import { cleanText } from '../../src/nlp/intents/text.js';
import { TypoCorrector, vocabularyOf } from '../../src/nlp/intents/typos.js';

// Utterances written for these tests: in neither utterances.json nor heldout.json.
const clock = { timezone: 'America/Chicago', nowMs: Date.parse('2026-09-15T15:00:00Z') };
const screen = { contentId: 'clip-77', creatorId: 'maker-5', stationId: 'st-9' };

function planOf(text: string, context = screen) {
  const u = understand(text, clock, context);
  assert.equal(u.kind, 'plan', `${text}: ${JSON.stringify(u)}`);
  return u.kind === 'plan' ? u.steps : [];
}

function asked(u: Understanding): Extract<Understanding, { kind: 'clarify' }> {
  assert.equal(u.kind, 'clarify', JSON.stringify(u));
  if (u.kind !== 'clarify') throw new Error('unreachable');
  return u;
}

void describe('safety rule: out of scope and unsure text is asked about, never planned', () => {
  for (const text of [
    'cancel my car insurance renewal',
    'order sushi for dinner',
    'turn up the volume',
    'schedule an oil change for my car',
    'end the zoom meeting',
    'send 40 dollars to my landlord',
  ]) {
    void it(`"${text}" gets a clarification that says what Brain Mode can do`, () => {
      const u = asked(understand(text, clock, screen));
      assert.ok(u.message.includes(CAPABILITIES), u.message);
      assert.match(u.message, /follow a creator/);
    });
  }

  void it('the out-of-scope class of its own answers out_of_scope, not merely a low score', () => {
    const r = recognizeIntent('buy a coffee', clock);
    assert.deepEqual(r.kind === 'clarify' && r.reason, 'out_of_scope');
  });

  void it('destructive and costly steps wait for an explicit yes: cancel, end live, block, tip', () => {
    for (const text of ['call off my stream tonight', 'end my stream', 'block @vexx', 'tip @vexx 2 dollars']) {
      assert.equal(planOf(text)[0]?.needsConfirmation, true, text);
    }
    assert.equal(planOf('follow @vexx')[0]?.needsConfirmation, false);
  });

  void it('a state-changing plan needs every required slot', () => {
    const u = asked(understand('tip @vexx', clock, screen));
    assert.deepEqual([u.reason, u.missingSlots], ['missing_slots', ['amount']]);
    assert.match(u.message, /amount/);
  });
});

void describe('typo tolerance', () => {
  void it('a doubled, dropped or swapped letter in the verb still reaches the command', () => {
    assert.deepEqual(
      ['unfolloww @nadia', 'blokc @nadia', 'tipp @nadia 2 dollars', 'could you please folow @nadia'].map(
        (t) => planOf(t)[0]?.action,
      ),
      ['unfollow_creator', 'block_creator', 'tip_creator', 'follow_creator'],
    );
    const r = recognizeIntent('shceduel my knitting show for friday at 6pm', clock);
    assert.equal(r.kind === 'intent' && r.intent, 'schedule_show');
    assert.ok(r.kind === 'intent' && r.corrections.some((c) => c.to === 'schedule'));
  });

  void it('names survive: a changed letter in a short word is not a typo, and handles are never corrected', () => {
    const corrector = new TypoCorrector(vocabularyOf(['like this', 'like it', 'follow @alice', 'follow bob']));
    assert.deepEqual(corrector.correct('tip mike 5 dollars').corrections, []);
    assert.deepEqual(corrector.correct('folow @folow').text, 'follow @folow');
    assert.equal(planOf('tip mike 5 dollars')[0]?.params.creator, 'mike');
  });
});

void describe('gestures, wishes, negations and questions', () => {
  void it('gesture-like phrases act on what is on screen', () => {
    for (const text of ['heart this one', 'hearts for this', 'double tap it']) {
      assert.deepEqual(
        planOf(text).map((s) => [s.action, s.params.contentId]),
        [['like_item', 'clip-77']],
        text,
      );
    }
  });

  void it('content preferences phrased as wishes or negations set the preference', () => {
    assert.deepEqual(planOf("i'd rather not have autoplay")[0]?.params.preference, { key: 'autoplay', value: false });
    assert.deepEqual(planOf('i never want subtitles')[0]?.params.preference, { key: 'captions', value: false });
  });

  void it('something new on a topic is a search, not the TV guide', () => {
    for (const [text, q] of [
      ['anything new about kayaking', 'kayaking'],
      ["what's fresh in ceramics", 'ceramics'],
    ] as const) {
      const u = understand(text, clock);
      assert.deepEqual(u.kind === 'navigation' && [u.intent, u.target.params.q], ['search', q], JSON.stringify(u));
    }
  });
});

void describe('collective commands', () => {
  void it('"the top N creators of a topic" is one step over a looked-up set, confirmed as a list', () => {
    const [step] = planOf('follow the top 3 ceramics creators');
    assert.deepEqual(step?.params, { topic: 'ceramics', count: 3, targetSet: 'top_creators' });
    assert.equal(step?.needsConfirmation, true);
    const [tip] = planOf('tip the top 2 knitting creators 1 dollar each');
    assert.deepEqual([tip?.action, tip?.params.targetSet, tip?.params.count], ['tip_creator', 'top_creators', 2]);
  });

  void it('"all the creators I follow in a topic" is the followed set', () => {
    const [step] = planOf('unfollow all the chess creators i follow');
    assert.deepEqual(
      [step?.action, step?.params.topic, step?.params.targetSet],
      ['unfollow_creator', 'chess', 'followed_creators'],
    );
    assert.equal(step?.needsConfirmation, true);
  });
});

void describe('dotted handles are recognised whole', () => {
  void it('"@mia.music" is not "@mia", "@john.smith" is not "@john"', () => {
    assert.equal(planOf('follow @mia.music')[0]?.params.creator, 'mia.music');
    const open = understand('open @john.smith.', clock);
    assert.deepEqual(open.kind === 'navigation' && open.target.params, { handle: 'john.smith' });
    assert.equal(cleanText('ok. follow @a.b.c then stop.'), 'ok follow @a.b.c then stop');
  });
});
