// The adjust loop's rules at their boundaries, with a fixed clock and no database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLOCKED_DAYS, CHECK_IN_GAP_DAYS } from '@menteo/api/attention';
import fc from 'fast-check';
import { countFindings, evaluateRoom, type CheckInFacts, type MilestoneFacts, type RoomFacts } from '../src/health/rules.js';

const NOW = '2026-11-29T10:00:00.000Z';
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();

const sam = { personId: 'per_sam', displayName: 'Sam', joinedAt: ago(2 * DAY) };

function room(over: Partial<RoomFacts> = {}): RoomFacts {
  return { roomId: 'room_1', status: 'active', milestones: [], mentees: [sam], checkIns: [{ authorId: sam.personId, confidence: 3, createdAt: ago(DAY) }], ...over };
}
function milestone(over: Partial<MilestoneFacts> = {}): MilestoneFacts {
  return { id: 'mil_1', title: 'Ship the audit', dueDate: '2026-12-15', status: 'in_progress', statusChangedAt: ago(DAY), ...over };
}
const codes = (facts: RoomFacts) => evaluateRoom(facts, NOW).map((f) => f.code);

describe('milestone_overdue', () => {
  it('is not raised on the due date itself, and is raised the day after', () => {
    assert.deepEqual(codes(room({ milestones: [milestone({ dueDate: '2026-11-29' })] })), []);
    const [f] = evaluateRoom(room({ milestones: [milestone({ dueDate: '2026-11-28' })] }), NOW);
    assert.equal(f?.code, 'milestone_overdue');
    assert.equal(f?.days, 1);
    assert.equal(f?.milestoneId, 'mil_1');
    assert.equal(f?.since, '2026-11-29T00:00:00.000Z');
    assert.deepEqual(f?.adjustments, ['move', 'rescope', 'drop']);
    assert.match(f?.reason ?? '', /"Ship the audit" was due on 2026-11-28 and is not done \(1 day ago\)/);
  });
  it('is not raised for a done milestone, however late', () => {
    assert.deepEqual(codes(room({ milestones: [milestone({ dueDate: '2026-01-01', status: 'done' })] })), []);
  });
});

describe('milestone_blocked', () => {
  it(`needs ${BLOCKED_DAYS} whole days blocked: a minute less is not enough`, () => {
    const edge = BLOCKED_DAYS * DAY;
    assert.deepEqual(codes(room({ milestones: [milestone({ status: 'blocked', statusChangedAt: ago(edge - 60_000) })] })), []);
    const [f] = evaluateRoom(room({ milestones: [milestone({ status: 'blocked', statusChangedAt: ago(edge) })] }), NOW);
    assert.equal(f?.code, 'milestone_blocked');
    assert.equal(f?.days, BLOCKED_DAYS);
    assert.deepEqual(f?.adjustments, ['rescope', 'move', 'drop']);
  });
  it('counts from the status change, not the creation', () => {
    assert.deepEqual(codes(room({ milestones: [milestone({ status: 'in_progress', statusChangedAt: ago(30 * DAY) })] })), []);
  });
  it('raises both rules for a blocked milestone past its due date, overdue first', () => {
    assert.deepEqual(codes(room({ milestones: [milestone({ status: 'blocked', dueDate: '2026-11-01', statusChangedAt: ago(10 * DAY) })] })), ['milestone_overdue', 'milestone_blocked']);
  });
});

describe('check_ins_stopped', () => {
  const lastAt = (ms: number): CheckInFacts[] => [{ authorId: sam.personId, confidence: 3, createdAt: ago(ms) }];
  it(`is raised at ${CHECK_IN_GAP_DAYS} days without a check-in, not at 13 days 23 hours`, () => {
    assert.deepEqual(codes(room({ checkIns: lastAt(CHECK_IN_GAP_DAYS * DAY - 3_600_000) })), []);
    const [f] = evaluateRoom(room({ checkIns: lastAt(CHECK_IN_GAP_DAYS * DAY) }), NOW);
    assert.equal(f?.code, 'check_ins_stopped');
    assert.equal(f?.personId, sam.personId);
    assert.equal(f?.days, 14);
    assert.equal(f?.reason.startsWith('Sam has not checked in for 14 days.'), true);
  });
  it('counts from joining when the mentee never checked in', () => {
    assert.deepEqual(codes(room({ checkIns: [], mentees: [{ ...sam, joinedAt: ago(13 * DAY) }] })), []);
    const [f] = evaluateRoom(room({ checkIns: [], mentees: [{ ...sam, joinedAt: ago(20 * DAY) }] }), NOW);
    assert.match(f?.reason ?? '', /since joining the room 20 days ago/);
  });
  it('offers adjustments only when an open milestone exists', () => {
    const [none] = evaluateRoom(room({ checkIns: lastAt(20 * DAY) }), NOW);
    assert.deepEqual(none?.adjustments, []);
    const open = evaluateRoom(room({ checkIns: lastAt(20 * DAY), milestones: [milestone()] }), NOW);
    assert.deepEqual(open.find((f) => f.code === 'check_ins_stopped')?.adjustments, ['move', 'rescope']);
  });
});

describe('confidence_falling', () => {
  const series = (...values: number[]): CheckInFacts[] =>
    values.map((confidence, i) => ({ authorId: sam.personId, confidence, createdAt: ago((values.length - i) * DAY) }));
  it('is raised when the last three strictly fall', () => {
    const [f] = evaluateRoom(room({ checkIns: series(5, 4, 3, 2) }), NOW);
    assert.equal(f?.code, 'confidence_falling');
    assert.deepEqual(f?.confidences, [4, 3, 2]);
    assert.equal(f?.days, null);
  });
  it('is not raised for a plateau inside the three (4, 3, 3) or a rise at the end (4, 3, 4)', () => {
    assert.deepEqual(codes(room({ checkIns: series(4, 3, 3) })), []);
    assert.deepEqual(codes(room({ checkIns: series(4, 3, 4) })), []);
  });
  it('is raised by a drop of 2 points between the last two, not by a drop of 1', () => {
    assert.deepEqual(codes(room({ checkIns: series(4, 3) })), []);
    const [f] = evaluateRoom(room({ checkIns: series(3, 5, 3) }), NOW);
    assert.deepEqual(f?.confidences, [5, 3]);
  });
  it('needs at least two check-ins', () => {
    assert.deepEqual(codes(room({ checkIns: series(1) })), []);
  });
  it('looks at each mentee apart', () => {
    const tia = { personId: 'per_tia', displayName: 'Tia', joinedAt: ago(DAY) };
    const mixed = [
      { authorId: sam.personId, confidence: 5, createdAt: ago(3 * DAY) },
      { authorId: tia.personId, confidence: 4, createdAt: ago(2 * DAY) },
      { authorId: sam.personId, confidence: 5, createdAt: ago(DAY) },
    ];
    assert.deepEqual(codes(room({ mentees: [sam, tia], checkIns: mixed })), [], 'Sam 5→5 and Tia alone do not fall');
  });
});

describe('a room', () => {
  it('has no findings once archived', () => {
    assert.deepEqual(codes(room({ status: 'archived', milestones: [milestone({ dueDate: '2026-01-01' })], checkIns: [] , mentees: [{ ...sam, joinedAt: ago(90 * DAY) }] })), []);
  });
  it('orders milestone findings by due date, then mentees by name', () => {
    const facts = room({
      milestones: [milestone({ id: 'mil_b', dueDate: '2026-11-20' }), milestone({ id: 'mil_a', dueDate: '2026-11-10' })],
      mentees: [{ ...sam, displayName: 'Zed', joinedAt: ago(30 * DAY) }, { personId: 'per_amy', displayName: 'Amy', joinedAt: ago(30 * DAY) }],
      checkIns: [],
    });
    assert.deepEqual(evaluateRoom(facts, NOW).map((f) => f.milestoneId ?? f.personId), ['mil_a', 'mil_b', 'per_amy', 'per_sam']);
  });
});

describe('counting the findings (program health over thousands of rooms)', () => {
  // The counting path skips building reasons, but must decide exactly as the findings do.
  const instant = fc.integer({ min: -60 * DAY, max: 2 * DAY }).map((d) => new Date(Date.parse(NOW) + d).toISOString());
  const date = fc.integer({ min: -60, max: 30 }).map((d) => new Date(Date.parse(NOW) + d * DAY).toISOString().slice(0, 10));
  const people = ['per_a', 'per_b', 'per_c'];
  const facts = fc.record({
    status: fc.constantFrom('active', 'archived'),
    milestones: fc.array(fc.record({ id: fc.constantFrom('mil_1', 'mil_2', 'mil_3'), title: fc.string(), dueDate: date, status: fc.constantFrom('planned', 'in_progress', 'done', 'blocked'), statusChangedAt: instant }), { maxLength: 6 }),
    mentees: fc.uniqueArray(fc.constantFrom(...people), { maxLength: 3 }).chain((ids) => fc.tuple(...ids.map((personId) => fc.record({ personId: fc.constant(personId), displayName: fc.string(), joinedAt: instant })))),
    checkIns: fc.array(fc.record({ authorId: fc.constantFrom(...people), confidence: fc.integer({ min: 1, max: 5 }), createdAt: instant }), { maxLength: 10 }),
  }).map((f): RoomFacts => ({ roomId: 'room_1', ...f }));

  it('counts as many findings as the rules raise, for any room', () => {
    fc.assert(fc.property(facts, (f) => countFindings(f, NOW) === evaluateRoom(f, NOW).length), { numRuns: 3000, seed: 10 });
  });
});
