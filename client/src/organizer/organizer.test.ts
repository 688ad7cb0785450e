import { getTemplate } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../common/api/http';
import { liveLines, testScheme } from '../common/live/fixtures';
import { gridItems, gridRows } from '../common/live/grid';
import { competitionProblems, refusedField } from './forms';
import { roundProgress } from './progress';
import { roundPhase } from './RoundState';
import {
  checkDraft,
  editableFields,
  otherProblems,
  problemsAt,
  type SchemeDraft,
  sheetColumns,
  valueAt,
  withValue,
} from './schemeEdit';
import { seatSlots, unseatedJudges } from './seats';

const seat = (s: string, judgeId = s) => ({ seat: s, judgeId, name: s, unit: 'u', region: 'r' });

describe('a panel’s seats', () => {
  it('lays out J1…Jn, the reserves seated and one free reserve seat more', () => {
    expect(seatSlots({ size: 3, seats: [] }).map((s) => `${s.seat}:${s.kind}`)).toEqual([
      'J1:marking',
      'J2:marking',
      'J3:marking',
      'R1:reserve',
    ]);
    const slots = seatSlots({ size: 2, seats: [seat('J2'), seat('R1'), seat('R3')] });
    expect(slots.map((s) => `${s.seat}:${s.judge?.judgeId ?? '-'}`)).toEqual([
      'J1:-',
      'J2:J2',
      'R1:R1',
      'R2:-',
      'R3:R3',
      'R4:-',
    ]);
  });

  it('keeps a second panel in the pool’s numbering: J8 seated on a panel of 7 shows J8…J14', () => {
    const slots = seatSlots({ size: 7, seats: [seat('J8'), seat('J10')] });
    expect(slots.filter((s) => s.kind === 'marking').map((s) => s.seat)).toEqual([
      'J8',
      'J9',
      'J10',
      'J11',
      'J12',
      'J13',
      'J14',
    ]);
  });

  it('offers the judges not seated yet', () => {
    const judges = ['a', 'b', 'c'].map((id) => ({ id, name: id, unit: 'u', region: 'r', createdAt: '' }));
    expect(unseatedJudges(judges, { seats: [seat('J1', 'b')] }).map((j) => j.id)).toEqual(['a', 'c']);
  });
});

describe('a round’s progress', () => {
  it('counts marks expected and received per seat and per workstation from the live lines', () => {
    const scheme = testScheme();
    const lines = liveLines(scheme, {
      A01: {
        quality: { J1: '8', J2: '8', J3: '9', J4: '8', J5: '7' },
        technique: { J1: '7', J2: '7' },
      },
    });
    const rows = gridRows(gridItems(scheme, 'Final', lines), lines, ['A01', 'A02']);
    const progress = roundProgress(rows);
    expect(progress.byWorkstation.map((w) => [w.workstation, w.received, w.expected])).toEqual([
      ['A01', 7, 10],
      ['A02', 0, 10],
    ]);
    expect(progress).toMatchObject({ received: 7, expected: 20 });
    expect(progress.bySeat.map((s) => [s.seat, s.received, s.expected])).toEqual([
      ['J1', 2, 4],
      ['J2', 2, 4],
      ['J3', 1, 4],
      ['J4', 1, 4],
      ['J5', 1, 4],
    ]);
  });
});

describe('a round’s progress with a template', () => {
  it('expects no mark of a veto (marked only when broken) and one of each machine-scored item', () => {
    const tea = getTemplate('tea');
    if (!tea) throw new Error('the tea template ships');
    const progress = roundProgress(gridRows(gridItems(tea, 'Final', []), [], ['A01']));
    // 6 judged aspects × 3 judges + 5 measurements by one; the two vetoes are not waited for.
    expect(progress).toMatchObject({ received: 0, expected: 23 });
  });
});

describe('adjusting a scheme', () => {
  // As the console gets it: the template as GET /api/templates/tea answers it (the engine's output).
  const draft = JSON.parse(JSON.stringify(getTemplate('tea'))) as SchemeDraft;
  const fields = editableFields(draft);
  const judged = fields.find((g) => g.path !== '');

  it('offers the name, precision and each judged aspect’s panel, range and step', () => {
    expect(fields[0]?.fields.map((f) => f.path)).toEqual(['name', 'precision']);
    expect(judged?.fields.map((f) => f.label)).toEqual(['name', 'panel', 'min', 'max', 'step']);
    expect(valueAt(draft, `${judged?.path}.panel`)).toBe(3);
  });

  it('writes a field by its path without touching the draft it came from', () => {
    const path = `${judged?.path}.range.max`;
    const next = withValue(draft, path, '5');
    expect(valueAt(next, path)).toBe('5');
    expect(valueAt(draft, path)).not.toBe('5');
    expect(checkDraft(next).ok).toBe(true);
  });

  it('shows the engine’s problems next to their fields, and the rest below', () => {
    const bad = withValue(withValue(draft, `${judged?.path}.panel`, 0), 'rounds', 'x');
    const result = checkDraft(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(problemsAt(result.errors, `${judged?.path}.panel`).map((e) => e.message)).toEqual([
      'needs at least one judge',
    ]);
    const shown = fields.flatMap((g) => g.fields.map((f) => f.path));
    expect(otherProblems(result.errors, shown).map((e) => e.path)).toEqual(['rounds']);
  });

  it('draws the score sheet: a column an aspect with its full mark and panel', () => {
    const parsed = checkDraft(draft);
    if (!parsed.ok) throw new Error('the tea template is valid');
    const columns = sheetColumns(parsed.scheme);
    const comment = columns.find((c) => c.kind === 'judgement');
    expect(comment).toMatchObject({ panel: 3, max: '4', step: '0.5' });
    expect(columns.length).toBe(parsed.scheme.components.reduce((n, c) => n + c.aspects.length, 0));
  });
});

describe('the competition form', () => {
  const draft = {
    name: '2026 年焊工技能竞赛',
    level: 'city' as const,
    grade: null,
    organizer: '市总工会',
    venue: '实训基地',
    startsOn: '2026-06-02',
    endsOn: '2026-06-01',
    recusalByRegion: false,
    openScoring: false,
  };

  it('names every empty field and an end before the start', () => {
    expect(competitionProblems(draft)).toEqual({ endsOn: 'endsBeforeStarts' });
    expect(competitionProblems({ ...draft, name: ' ', venue: '', endsOn: '2026-06-03' })).toEqual({
      name: 'required',
      venue: 'required',
    });
  });

  it('puts a refusal of the server next to the field it names', () => {
    const refusal = new ApiError(
      400,
      'request_invalid',
      '字段 endsOn：结束日期早于开始日期',
      [],
      null,
      0,
      'endsOn',
    );
    expect(refusedField(refusal)).toBe('endsOn');
    expect(refusedField(new ApiError(400, 'x', 'y', [], null, 0, 'components.0.name'))).toBe('components');
    expect(refusedField(new Error('network'))).toBeNull();
  });
});

describe('a round’s phase', () => {
  const at = '2026-05-10T09:00:00.000Z';
  const none = { signedOffAt: null, decryptedAt: null, publishedAt: null, markingClosedAt: null };
  it('shows marking closed until sign-off, which outranks it', () => {
    expect(roundPhase(none)).toBe('marking');
    expect(roundPhase({ ...none, markingClosedAt: at })).toBe('closed');
    expect(roundPhase({ ...none, markingClosedAt: at, signedOffAt: at })).toBe('signedOff');
    expect(roundPhase({ ...none, signedOffAt: at, publishedAt: at })).toBe('published');
  });
});
