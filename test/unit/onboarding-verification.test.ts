import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  currentOnboardingStage,
  normaliseInterestTopics,
  stepCompletedBy,
  type OnboardingStepName,
} from '../../src/domain/onboarding.js';
import { isFinalVerificationStatus, parseVerificationDecision } from '../../src/domain/verification.js';

describe('onboarding steps', () => {
  it('maps each progress event to its step and drops malformed ones', () => {
    assert.equal(stepCompletedBy({ kind: 'handle_claimed', handle: 'ann' }), 'claim_handle');
    assert.equal(stepCompletedBy({ kind: 'interests_picked', topics: ['a', 'b', 'c'] }), 'pick_interests');
    assert.equal(stepCompletedBy({ kind: 'creator_followed', creatorId: 'c1' }), 'follow_creator');
    assert.equal(stepCompletedBy({ kind: 'engaged', eventId: 'e1' }), 'first_engagement');
    assert.equal(stepCompletedBy({ kind: 'interests_picked', topics: ['a', 'a', 'b'] }), null, 'needs 3 distinct');
    assert.equal(stepCompletedBy({ kind: 'creator_followed' }), null);
    assert.equal(stepCompletedBy({ kind: 'dance' }), null);
    assert.equal(stepCompletedBy(null), null);
    assert.equal(stepCompletedBy('engaged'), null);
  });

  it('is at the first step not done, whatever order the others were done in', () => {
    const done = new Set<OnboardingStepName>();
    assert.equal(currentOnboardingStage(done), 'claim_handle');
    done.add('claim_handle').add('follow_creator');
    assert.equal(currentOnboardingStage(done), 'pick_interests');
    done.add('pick_interests');
    assert.equal(currentOnboardingStage(done), 'first_engagement');
    done.add('first_engagement');
    assert.equal(currentOnboardingStage(done), 'completed');
  });

  it('normalises picked topics: trimmed, lower-case, deduplicated, blanks dropped', () => {
    assert.deepEqual(normaliseInterestTopics([' Jazz', 'jazz', 'CHESS ', '  ']), ['jazz', 'chess']);
  });
});

describe('verification decisions', () => {
  it('accepts a well-formed decision and trims an over-long reason', () => {
    assert.deepEqual(parseVerificationDecision({ decision: 'approve', operatorId: 'ops' }), {
      decision: 'approve',
      operatorId: 'ops',
    });
    const long = parseVerificationDecision({ decision: 'reject', operatorId: 'ops', reason: 'x'.repeat(600) });
    assert.equal(long?.reason?.length, 500);
  });

  it('drops anything else, as typed by hand in the Temporal UI', () => {
    for (const input of [
      null,
      'approve',
      { decision: 'yes', operatorId: 'ops' },
      { decision: 'approve' },
      { decision: 'approve', operatorId: '' },
      { decision: 'approve', operatorId: 'ops', reason: 42 },
    ]) {
      assert.equal(parseVerificationDecision(input), null, JSON.stringify(input));
    }
  });

  it('knows which statuses end a request', () => {
    assert.deepEqual(
      (['pending', 'escalated', 'approved', 'rejected', 'expired'] as const).filter(isFinalVerificationStatus),
      ['approved', 'rejected', 'expired'],
    );
  });
});
