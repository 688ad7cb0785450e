import type { LiveStanding, RoundSnapshot, RoundSummary } from '@jiangxin/shared';
import type { ComponentJson } from '../common/api/types';
import { marksInJudgeOrder, type ShownMark } from '../common/ui/marks';

/**
 * The big screen's pure logic: which round to show, how the ranking moved, who was marked last and which of
 * their marks are new, the round's progress, the distribution of totals and the ticker of latest results.
 */

/** A round whose marks are arriving: marked, not yet signed off. */
export const inProgress = (r: RoundSummary) => r.marked && !r.status.signedOff;

/**
 * The rounds the screen rotates through, in the room's order: the rounds in progress while marks arrive in
 * any (the hall watches those being marked), else every round with standings. A round never marked (a heat
 * not reached yet, an event just set up) is never shown while another has something to show.
 */
export function rotation(rounds: readonly RoundSummary[]): RoundSummary[] {
  const live = rounds.filter(inProgress);
  return live.length > 0 ? live : rounds.filter((r) => r.marked);
}

/**
 * The round the screen shows next. A round frozen for the ceremony holds the screen (the first frozen round);
 * otherwise the screen stays on the round it shows until `advance`, then moves to the next round of the
 * rotation, wrapping around; a round that left the rotation (finished while another is marked, or gone) is
 * replaced at once by the first of it. With no round marked, it shows the one it has, else the first.
 */
export function pickRound(
  rounds: readonly RoundSummary[],
  current: string | null,
  advance: boolean,
): string | null {
  const frozen = rounds.find((r) => r.frozen);
  if (frozen) return frozen.roundId;
  const shown = rotation(rounds);
  if (shown.length === 0)
    return rounds.some((r) => r.roundId === current) ? current : (rounds[0]?.roundId ?? null);
  const at = shown.findIndex((r) => r.roundId === current);
  if (at < 0) return shown[0]?.roundId ?? null;
  if (!advance) return current;
  return shown[(at + 1) % shown.length]?.roundId ?? null;
}

/** Places each line moved between two orders: positive = up the ranking; new lines are not listed. */
export function rankMoves(
  before: readonly Pick<LiveStanding, 'workstation'>[],
  after: readonly Pick<LiveStanding, 'workstation'>[],
): Map<string, number> {
  const was = new Map(before.map((s, i) => [s.workstation, i]));
  const moves = new Map<string, number>();
  after.forEach((s, i) => {
    const old = was.get(s.workstation);
    if (old !== undefined && old !== i) moves.set(s.workstation, old - i);
  });
  return moves;
}

/** Recent moves as the screen animates them: each kept for `holdMs` after it happened, then dropped. */
export interface Moves {
  [workstation: string]: { by: number; at: number };
}

export function holdMoves(held: Moves, fresh: Map<string, number>, now: number, holdMs: number): Moves {
  const next: Moves = {};
  for (const [ws, move] of Object.entries(held)) if (now - move.at < holdMs) next[ws] = move;
  for (const [ws, by] of fresh) next[ws] = { by, at: now };
  return next;
}

/** One row of judges' marks: an aspect (of an attempt) with every seat's mark, used, dropped or awaiting. */
export interface MarkRow {
  key: string;
  aspect: string;
  attempt: number | null;
  marks: (ShownMark & { awaiting: boolean })[];
  points: string | null;
}

type Aspect = NonNullable<ComponentJson['aspects']>[number];

function rowOf(aspect: Aspect, attempt: number | null, component: string): MarkRow {
  const shown = marksInJudgeOrder(aspect.used, aspect.dropped).map((m) => ({ ...m, awaiting: false }));
  const awaiting = marksInJudgeOrder(aspect.awaiting, []).map((m) => ({ ...m, awaiting: true }));
  return {
    key: `${component}/${attempt ?? ''}/${aspect.aspect}`,
    aspect: aspect.aspect,
    attempt,
    marks: shown.length > 0 ? shown : awaiting,
    points: aspect.points,
  };
}

/** Every aspect row of a line, in scheme order (attempts in order). */
export function markRows(line: LiveStanding): MarkRow[] {
  const rows: MarkRow[] = [];
  for (const c of line.components) {
    if (c.attempts)
      for (const a of c.attempts) for (const x of a.aspects) rows.push(rowOf(x, a.attempt, c.component));
    else for (const x of c.aspects ?? []) rows.push(rowOf(x, null, c.component));
  }
  return rows;
}

/**
 * The rows a screen shows for the competitor on stage: the attempt marked last (the last with any mark)
 * when the scheme has attempts, else every aspect.
 */
export function stageRows(line: LiveStanding): MarkRow[] {
  const rows = markRows(line);
  const withAttempts = rows.filter((r) => r.attempt !== null);
  if (withAttempts.length === 0) return rows;
  const marked = withAttempts.filter((r) => r.marks.length > 0);
  const last = marked[marked.length - 1]?.attempt ?? withAttempts[0]?.attempt;
  return withAttempts.filter((r) => r.attempt === last);
}

/**
 * How many marks each aspect's panel gives, as seen on the lines already complete (`aspect` → count): a
 * screen strikes out a row's dropped marks only once the row has that many (the engine may already drop
 * marks of a panel still marking).
 */
export function panelSizes(snapshot: RoundSnapshot): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const line of snapshot.standings) {
    if (!line.complete) continue;
    for (const row of markRows(line))
      sizes.set(row.aspect, Math.max(sizes.get(row.aspect) ?? 0, row.marks.length));
  }
  return sizes;
}

/** Whether a row's marks are all in: its line is complete, or it has as many marks as the aspect's panel. */
export const rowComplete = (line: LiveStanding, row: MarkRow, sizes: Map<string, number>) =>
  line.complete || row.marks.length >= (sizes.get(row.aspect) ?? Number.POSITIVE_INFINITY);

/** The marks of a line by row and seat (`row|seat` → mark), to see which ones are new. */
export function markKeys(line: LiveStanding | undefined): Set<string> {
  const keys = new Set<string>();
  if (!line) return keys;
  for (const row of markRows(line)) for (const m of row.marks) keys.add(`${row.key}|${m.judge}|${m.mark}`);
  return keys;
}

/** How many marks a line carries (used, dropped and awaiting). */
const markCount = (line: LiveStanding) => markRows(line).reduce((n, r) => n + r.marks.length, 0);

/**
 * The competitor marked last, given the round before and after an update: the line that gained marks (of
 * several, the one that gained most), else the one held, else a line still being marked, else the leader.
 */
export function lastMarked(
  before: RoundSnapshot | null,
  after: RoundSnapshot,
  held: string | null,
): string | null {
  const was = new Map((before?.standings ?? []).map((s) => [s.workstation, markCount(s)]));
  let best: { ws: string; gained: number } | null = null;
  if (before && before.roundId === after.roundId) {
    for (const line of after.standings) {
      const gained = markCount(line) - (was.get(line.workstation) ?? 0);
      if (gained > 0 && (!best || gained > best.gained)) best = { ws: line.workstation, gained };
    }
  }
  if (best) return best.ws;
  if (held && after.standings.some((s) => s.workstation === held)) return held;
  const marking = after.standings.find((s) => !s.complete && markCount(s) > 0);
  return marking?.workstation ?? after.standings[0]?.workstation ?? null;
}

/** The round's progress: lines whose marks are all in, of all lines. */
export function progress(snapshot: RoundSnapshot): { done: number; of: number } {
  return { done: snapshot.standings.filter((s) => s.complete).length, of: snapshot.standings.length };
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

const NICE_WIDTHS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];

/**
 * The distribution of totals in bins of a round width (0.5, 1, 2, 5 … points: labels a screen can show),
 * about `bins` of them from a multiple of the width below the lowest total to past the highest. No totals:
 * no bins.
 */
export function distribution(totals: readonly (string | null)[], bins = 8): Bin[] {
  const values = totals
    .filter((t): t is string => t !== null)
    .map(Number)
    .filter(Number.isFinite);
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = NICE_WIDTHS.find((w) => w >= (max - min) / bins) ?? NICE_WIDTHS[NICE_WIDTHS.length - 1] ?? 1;
  const low = Math.floor(min / width) * width;
  const count = Math.max(1, Math.floor((max - low) / width + 1e-9) + 1);
  const out: Bin[] = Array.from({ length: count }, (_, i) => ({
    from: low + i * width,
    to: low + (i + 1) * width,
    count: 0,
  }));
  for (const v of values) {
    const bin = out[Math.min(count - 1, Math.floor((v - low) / width + 1e-9))];
    if (bin) bin.count += 1;
  }
  return out;
}

export interface TickerEntry {
  id: string;
  competitor: string;
  total: string;
  rank: number | null;
  complete: boolean;
  disqualified: boolean;
}

/**
 * The ticker after an update: lines whose total changed (or that got one) go in front, newest first, at
 * most `max` entries; the same competitor is listed once, with their latest figures.
 */
export function tickerAfter(
  held: readonly TickerEntry[],
  before: RoundSnapshot | null,
  after: RoundSnapshot,
  max = 8,
): TickerEntry[] {
  if (!before || before.roundId !== after.roundId) return [...held];
  const was = new Map(before.standings.map((s) => [s.workstation, s.total]));
  const fresh: TickerEntry[] = [];
  for (const s of after.standings) {
    if (s.total === null || was.get(s.workstation) === s.total) continue;
    fresh.push({
      id: `${after.version}/${s.workstation}`,
      competitor: s.competitor,
      total: s.total,
      rank: s.rank,
      complete: s.complete,
      disqualified: Boolean(s.disqualifiedBy),
    });
  }
  const names = new Set(fresh.map((e) => e.competitor));
  return [...fresh, ...held.filter((e) => !names.has(e.competitor))].slice(0, max);
}

/** What the screen holds of the round it shows, stepped by each snapshot. */
export interface ScreenModel {
  snapshot: RoundSnapshot | null;
  /** The workstation of the competitor on stage (marked last). */
  focus: string | null;
  /** The focus's marks that arrived with the last update (`row|seat|mark`), shown one by one. */
  fresh: string[];
  moves: Moves;
  ticker: TickerEntry[];
}

export const emptyScreen: ScreenModel = { snapshot: null, focus: null, fresh: [], moves: {}, ticker: [] };

export const MOVE_HOLD_MS = 6_000;

/** The screen after a new snapshot of the round it shows (another round: starts again from it). */
export function stepScreen(model: ScreenModel, next: RoundSnapshot, now: number): ScreenModel {
  const before = model.snapshot && model.snapshot.roundId === next.roundId ? model.snapshot : null;
  if (before === next) return model;
  const focus = lastMarked(before, next, before ? model.focus : null);
  const line = next.standings.find((s) => s.workstation === focus);
  const had = markKeys(before?.standings.find((s) => s.workstation === focus));
  const fresh = before ? [...markKeys(line)].filter((k) => !had.has(k)) : [];
  return {
    snapshot: next,
    focus,
    fresh,
    moves: before
      ? holdMoves(model.moves, rankMoves(before.standings, next.standings), now, MOVE_HOLD_MS)
      : {},
    ticker: before ? tickerAfter(model.ticker, before, next) : [],
  };
}
