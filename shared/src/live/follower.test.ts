import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LiveStanding, RoundSnapshot } from '../api/live';
import { applyUpdate, nextStep, RoundFollower, roundDelta, sameJson } from './follower';

describe('nextStep: what a screen does with a round:update', () => {
  it('applies a newer snapshot whatever the gap, ignores the same version, and joins again on a lower one', () => {
    expect(nextStep(null, { version: 4 })).toBe('apply');
    expect(nextStep(4, { version: 9 })).toBe('apply');
    expect(nextStep(9, { version: 9 })).toBe('ignore');
    // After a rebuild versions start again (or a message from another process came late).
    expect(nextStep(9, { version: 2 })).toBe('rejoin');
  });

  it('applies a delta only on top of the version it was made from, else joins again', () => {
    expect(nextStep(4, { version: 5, delta: { base: 4 } })).toBe('apply');
    expect(nextStep(4, { version: 7, delta: { base: 6 } })).toBe('rejoin');
    expect(nextStep(null, { version: 7, delta: { base: 6 } })).toBe('rejoin');
  });
});

const line = (workstation: string, total: string, rank: number | null = 1) =>
  ({ workstation, competitor: workstation, total, rank, decidedBy: null, shared: false }) as LiveStanding;

const snapshot = (version: number, standings: LiveStanding[], extra: Partial<RoundSnapshot> = {}) =>
  ({
    roundId: 'r',
    competitionId: 'c',
    version,
    audience: 'public',
    status: { signedOff: false, decrypted: false, published: true, markingClosed: false },
    labels: 'workstation',
    event: 'E',
    frozen: null,
    standings,
    ...extra,
  }) as RoundSnapshot;

describe('deltas: only what changed', () => {
  it('carries only the fields that changed, new lines whole, and the order only when it changed', () => {
    const from = snapshot(3, [line('A01', '9.0', 1), line('A02', '8.0', 2), line('A03', '7.0', 3)]);
    const same = snapshot(4, [line('A01', '9.5', 1), line('A02', '8.0', 2), line('A03', '7.0', 3)]);
    expect(roundDelta(from, same)).toEqual({ base: 3, changed: [{ workstation: 'A01', total: '9.5' }] });
    // A03 overtakes: its total and rank change; those it passed change rank only.
    const overtaken = snapshot(5, [
      line('A03', '9.9', 1),
      line('A01', '9.0', 2),
      line('A02', '8.0', 3),
      line('A04', '1.0', 4),
    ]);
    expect(roundDelta(from, overtaken)).toEqual({
      base: 3,
      changed: [
        { workstation: 'A03', total: '9.9', rank: 1 },
        { workstation: 'A01', rank: 2 },
        { workstation: 'A02', rank: 3 },
        line('A04', '1.0', 4),
      ],
      order: ['A03', 'A01', 'A02', 'A04'],
    });
    // Names, status or a freeze change every line's meaning: a whole snapshot instead.
    expect(roundDelta(from, snapshot(6, from.standings, { labels: 'name' }))).toBeNull();
    expect(roundDelta(from, snapshot(6, from.standings, { frozen: { revealed: 1, hidden: 2 } }))).toBeNull();
  });

  it('rebuilds the newer snapshot from the older one and the delta, for any two standings', () => {
    const codes = ['A01', 'A02', 'A03', 'A04', 'A05', 'A06'];
    const standings = fc
      .uniqueArray(fc.constantFrom(...codes), { maxLength: codes.length })
      .chain((order) =>
        fc.tuple(...order.map((code) => fc.integer({ min: 0, max: 3 }).map((t) => line(code, `${t}.0`)))),
      );
    fc.assert(
      fc.property(standings, standings, (a, b) => {
        const from = snapshot(7, a);
        const to = snapshot(8, b);
        const delta = roundDelta(from, to);
        if (!delta) throw new Error('same header, yet no delta');
        expect(applyUpdate(from, { roundId: 'r', version: 8, delta })).toEqual(to);
        // The unchanged lines never travel.
        expect(delta.changed.length).toBe(
          b.filter(
            (l) => JSON.stringify(a.find((x) => x.workstation === l.workstation)) !== JSON.stringify(l),
          ).length,
        );
      }),
    );
  });

  it('joins again instead of applying a delta on the wrong base or one naming a line it never had', () => {
    const held = snapshot(3, [line('A01', '9.0')]);
    expect(applyUpdate(held, { roundId: 'r', version: 5, delta: { base: 4, changed: [] } })).toBe('rejoin');
    expect(
      applyUpdate(held, { roundId: 'r', version: 4, delta: { base: 3, changed: [], order: ['A01', 'A09'] } }),
    ).toBe('rejoin');
    expect(applyUpdate(held, { roundId: 'r', version: 3, delta: { base: 2, changed: [] } })).toBe('ignore');
    expect(applyUpdate(held, { roundId: 'r', version: 9, snapshot: snapshot(9, []) })).toEqual(
      snapshot(9, []),
    );
  });
});

describe('RoundFollower: a screen that joins while updates flow', () => {
  it('keeps an update that overtook the join answer and applies it on top of the answer', () => {
    const round = new RoundFollower();
    round.joining();
    const overtaking = { roundId: 'r', version: 5, delta: { base: 4, changed: [line('A01', '9.5')] } };
    expect(round.update(overtaking)).toBe('waiting');
    expect(round.joined(snapshot(4, [line('A01', '9.0')]))).toBe('ok');
    expect(round.state).toEqual(snapshot(5, [line('A01', '9.5')]));
    // An update already contained in the answer is ignored; a gap after it asks for a new join.
    round.joining();
    round.update({ roundId: 'r', version: 5, delta: { base: 4, changed: [] } });
    round.update({ roundId: 'r', version: 8, delta: { base: 7, changed: [] } });
    expect(round.joined(snapshot(6, []))).toBe('rejoin');
    expect(round.update({ roundId: 'r', version: 7, delta: { base: 6, changed: [] } })).toBe('applied');
  });
});

describe('sameJson: equality as JSON, without serialising', () => {
  const json = fc.jsonValue();
  it('agrees with comparing JSON.stringify of values whose objects list their keys alike', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        expect(sameJson(a, structuredClone(a))).toBe(true);
      }),
    );
  });
  it('sees differences in nested fields, array lengths and kinds, and treats an undefined field as absent', () => {
    expect(sameJson({ a: [1, { b: '2' }] }, { a: [1, { b: '2' }] })).toBe(true);
    expect(sameJson({ a: [1, { b: '2' }] }, { a: [1, { b: '3' }] })).toBe(false);
    expect(sameJson([1, 2], [1, 2, 3])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
  });
});
