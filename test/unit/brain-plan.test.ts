import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { navigationTarget, understand } from '../../src/api/routes/brain/plan.js';
import { compensationsToRun, statusWhenStopped, type StepRecord } from '../../src/domain/brain-command.js';

const clock = { timezone: 'Europe/Berlin', nowMs: Date.parse('2026-11-25T12:00:00Z') };

void describe('Brain Mode planning (text → plan, screen or question)', () => {
  it('plans a chain in order; the tip targets whom the follow followed and waits for confirmation', () => {
    const plan = understand('follow @alice and tip her 5 dollars', clock);
    assert.equal(plan.kind, 'plan');
    if (plan.kind !== 'plan') return;
    assert.equal(plan.intent, 'follow_creator');
    assert.deepEqual(
      plan.steps.map((s) => [s.index, s.action, s.needsConfirmation, s.targetsPrevious]),
      [
        [0, 'follow_creator', false, false],
        [1, 'tip_creator', true, true],
      ],
    );
    assert.deepEqual(plan.steps[0]?.params, { creator: 'alice' });
    assert.equal(plan.steps[1]?.params.amount?.minor, 500);
  });

  it('resolves the start of a show in the user’s time zone', () => {
    const plan = understand('schedule a show on the othertv station tomorrow at 8pm', clock);
    assert.equal(plan.kind, 'plan');
    if (plan.kind !== 'plan') return;
    assert.equal(plan.steps[0]?.params.station, 'othertv');
    assert.equal(plan.steps[0]?.params.when?.iso, '2026-11-26T19:00:00.000Z');
  });

  it('answers a navigation at once, with no steps', () => {
    const nav = understand('open my notifications', clock);
    assert.equal(nav.kind, 'navigation');
    assert.deepEqual(nav.kind === 'navigation' && [nav.intent, nav.target], [
      'navigate',
      { screen: 'notifications', params: {} },
    ]);
    assert.deepEqual(navigationTarget('search', { topic: 'cooking' }), { screen: 'search', params: { q: 'cooking' } });
  });

  it('asks instead of guessing: nonsense, and a tip without an amount', () => {
    const nonsense = understand('purple monkey dishwasher', clock);
    assert.equal(nonsense.kind, 'clarify');
    const tip = understand('tip @bob', clock);
    assert.deepEqual(tip.kind === 'clarify' && [tip.reason, tip.missingSlots], ['missing_slots', ['amount']]);
  });
});

void describe('planning with what is on screen (context)', () => {
  const screen = { contentId: 'vid-1', creatorId: 'creator-9', stationId: 'st-4', screen: 'player' };
  const planOf = (text: string, context: Parameters<typeof understand>[2]) => {
    const plan = understand(text, clock, context);
    assert.equal(plan.kind, 'plan', JSON.stringify(plan));
    return plan.kind === 'plan' ? plan.steps : [];
  };

  it('"like this" and "share this" act on the item on screen', () => {
    assert.deepEqual(
      planOf('like this', screen).map((s) => [s.action, s.params]),
      [['like_item', { contentId: 'vid-1' }]],
    );
    assert.deepEqual(planOf('share this clip', screen)[0]?.params, { contentId: 'vid-1' });
  });

  it('"follow her", "tip this creator 2 dollars" and "block him" act on the creator on screen', () => {
    assert.deepEqual(planOf('follow her', screen)[0]?.params, { creatorId: 'creator-9' });
    const tip = planOf('tip this creator 2 dollars', screen)[0];
    assert.deepEqual([tip?.params.creatorId, tip?.params.amount?.minor], ['creator-9', 200]);
    assert.deepEqual(planOf('block him', screen)[0]?.params, { creatorId: 'creator-9' });
  });

  it('without the creator on screen, "follow her" means whoever made the item on screen', () => {
    assert.deepEqual(planOf('follow her', { contentId: 'vid-1' })[0]?.params, { contentId: 'vid-1' });
  });

  it('a named creator wins over the screen, and "… and tip her" points at the step before, not the screen', () => {
    assert.deepEqual(planOf('follow @alice', screen)[0]?.params, { creator: 'alice' });
    const chain = planOf('follow @alice and tip her 5 dollars', screen);
    assert.deepEqual(chain[1]?.params.creatorId, undefined);
    assert.equal(chain[1]?.targetsPrevious, true);
  });

  it('"go live on this station" uses the station on screen; a bare "go live" keeps the caller’s own', () => {
    assert.equal(planOf('go live on this station', screen)[0]?.params.station, 'st-4');
    assert.equal(planOf('go live', screen)[0]?.params.station, undefined);
  });

  it('asks for what the screen did not say instead of failing later', () => {
    const like = understand('like this', clock, {});
    assert.deepEqual(like.kind === 'clarify' && [like.reason, like.missingSlots], ['missing_slots', ['contentId']]);
    const follow = understand('follow her', clock);
    assert.deepEqual(follow.kind === 'clarify' && follow.missingSlots, ['creator']);
  });
});

void describe('saga rules', () => {
  const record = (index: number, state: StepRecord['state'], undoable: boolean): StepRecord => ({
    index,
    action: 'follow_creator',
    state,
    summary: null,
    targets: [],
    error: null,
    compensation: undoable ? { kind: 'unfollow', targets: [`u${index}`] } : null,
  });

  it('compensates completed steps with something to take back, newest first', () => {
    const steps = [
      record(0, 'completed', true),
      record(1, 'completed', false),
      record(2, 'completed', true),
      record(3, 'failed', true),
    ];
    assert.deepEqual(
      compensationsToRun(steps).map((s) => s.index),
      [2, 0],
    );
  });

  it('names how a stopped command ended', () => {
    assert.equal(statusWhenStopped('failed', 2, false), 'compensated');
    assert.equal(statusWhenStopped('failed', 0, false), 'failed');
    assert.equal(statusWhenStopped('expired', 1, false), 'expired');
    assert.equal(statusWhenStopped('declined', 0, false), 'compensated');
    assert.equal(statusWhenStopped('expired', 1, true), 'failed', 'a compensation that gave up needs an operator');
  });
});
