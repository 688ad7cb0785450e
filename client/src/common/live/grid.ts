import {
  type Aspect,
  itemNames,
  type LiveStanding,
  type MissingItem,
  markDomain,
  resolveItem,
  type Scheme,
} from '@jiangxin/shared';

/**
 * The chief judge's grid as data: workstations (rows) × items × seats, derived from the live standings lines
 * (each carries the engine's breakdown: the marks used and dropped by seat). Pure, so it is tested without a
 * browser; the components only draw it.
 */

type ComponentJson = LiveStanding['components'][number];
export type AspectJson = NonNullable<ComponentJson['aspects']>[number];

export interface GridItem {
  /** The item name marks are sent with (`quality`, `dive-3`, `run-1:lapTime`). */
  item: string;
  aspect: Aspect;
  component: string;
  attempt: number | null;
  /** The seats shown for it: J1 … Jn of its panel, and any other seat (a reserve) that marked it. */
  seats: string[];
}

export interface GridCell {
  seat: string;
  /** The seat's mark in force, or null while missing. */
  value: string | null;
  /** The engine dropped it (highest or lowest). */
  dropped: boolean;
  /** Empty while the item still needs marks from this seat. */
  missing: boolean;
  /**
   * The seat has marked, but the breakdown does not show the value yet: the engine lists marks only once the
   * panel can aggregate them (e.g. 3 of 5 marks when the highest and lowest are dropped). Known from the
   * review's missing seats.
   */
  received: boolean;
  /** Far from the panel's result (see `isOutlier`). */
  outlier: boolean;
  /** The judge could not mark: the chief judge replaced the seat under the scheme's rule (the others' average). */
  replaced: boolean;
}

export interface GridItemCells {
  item: string;
  /** The panel's result as the engine computed it (the aspect's value), null before enough marks. */
  result: string | null;
  /** Marks in force now, and the number the item needs. */
  received: number;
  expected: number;
  /** Marks further apart than the scheme's tolerance allows. */
  tolerance: boolean;
  cells: GridCell[];
}

export interface GridRow {
  workstation: string;
  /** The label the live view gives the line (the workstation, or the name once decrypted). */
  competitor: string;
  rank: number | null;
  total: string | null;
  complete: boolean;
  items: GridItemCells[];
}

const collator = new Intl.Collator('en', { numeric: true });
export const bySeat = (a: string, b: string) => collator.compare(a, b);

/** How many marks an aspect needs (a deduction or veto is marked once). */
export function panelSize(aspect: Aspect): number {
  return aspect.kind === 'judgement' || aspect.kind === 'measurement' ? aspect.panel : 1;
}

/** The marks of one item in a standings line: the aspect of its component (and attempt). */
export function aspectOf(line: Pick<LiveStanding, 'components'>, item: GridItem): AspectJson | undefined {
  const component = line.components.find((c) => c.component === item.component);
  if (!component) return undefined;
  const aspects =
    item.attempt === null
      ? component.aspects
      : component.attempts?.find((a) => a.attempt === item.attempt)?.aspects;
  return aspects?.find((a) => a.aspect === item.aspect.id);
}

const marksOf = (a: AspectJson | undefined) => [
  ...(a?.used ?? []),
  ...(a?.dropped ?? []),
  ...(a?.awaiting ?? []),
];

/**
 * The round's items in the scheme's order (as many attempts as the round has: its own count, else the
 * component's), each with the seats to show: the seating's (`seated`, from the review) and any that marked.
 */
export function gridItems(
  scheme: Scheme,
  round: string,
  lines: readonly LiveStanding[] = [],
  seated?: Readonly<Record<string, readonly string[]>>,
): GridItem[] {
  return itemNames(scheme, round).flatMap((name) => {
    const ref = resolveItem(scheme, name, round);
    if (!ref) return [];
    const item: GridItem = {
      item: name,
      aspect: ref.aspect,
      component: ref.component.id,
      attempt: ref.attempt,
      seats: [],
    };
    // The round's seating (every panel's seats, before they mark) when known, else the scheme's J1 … Jn.
    const fromSeating = seated?.[name];
    const seats = new Set(
      fromSeating?.length
        ? fromSeating
        : Array.from({ length: panelSize(ref.aspect) }, (_, i) => `J${i + 1}`),
    );
    for (const line of lines) for (const m of marksOf(aspectOf(line, item))) seats.add(m.judge);
    item.seats = [...seats].sort(bySeat);
    return [item];
  });
}

/**
 * The panel's result one mark is compared with: the aspect's value (the aggregate of the marks used: a
 * trimmed mean, a median), per mark when the panel sums its marks; null when there is none yet.
 */
export function panelResult(aspect: Aspect, json: AspectJson | undefined): number | null {
  if (!json || json.value === null) return null;
  const value = Number(json.value);
  if (aspect.kind === 'judgement' && aspect.aggregation.method === 'sum')
    return json.used.length > 0 ? value / json.used.length : null;
  return value;
}

/**
 * A mark is an outlier when it lies at least a fifth of the aspect's range (and at least one step) away from
 * the panel's result: on a 0–10 scale in steps of 0.5, two points or more.
 */
export function outlierDistance(aspect: Aspect): number | null {
  const { min, max, step } = markDomain(aspect);
  if (!min || !max) return null;
  return Math.max(Number(step?.toString() ?? 0), (Number(max.toString()) - Number(min.toString())) / 5);
}

export function isOutlier(aspect: Aspect, mark: string, result: number | null): boolean {
  const distance = outlierDistance(aspect);
  if (aspect.kind !== 'judgement' || distance === null || result === null) return false;
  return Math.abs(Number(mark) - result) >= distance - 1e-9;
}

/**
 * What the review says is missing of one item: `undefined` while the review is not known, null when nothing
 * is missing, else the seats that have not marked.
 */
export type MissingOf = (workstation: string, item: string) => MissingItem | null | undefined;

function itemCells(item: GridItem, json: AspectJson | undefined, missing: MissingItem | null | undefined) {
  const result = panelResult(item.aspect, json);
  const bySeatMark = new Map<string, { mark: string; dropped: boolean }>();
  for (const m of json?.used ?? []) bySeatMark.set(m.judge, { mark: m.mark, dropped: false });
  for (const m of json?.dropped ?? []) bySeatMark.set(m.judge, { mark: m.mark, dropped: true });
  // Marks in before the panel can aggregate them (the breakdown lists them as awaiting).
  for (const m of json?.awaiting ?? []) bySeatMark.set(m.judge, { mark: m.mark, dropped: false });
  const replaced = new Set(
    (json?.flags ?? []).flatMap((f) => (f.code === 'markReplaced' && 'judge' in f ? [String(f.judge)] : [])),
  );
  const expected = missing?.expected ?? panelSize(item.aspect);
  const received = Math.max(bySeatMark.size, missing?.received ?? 0);
  const needed = item.aspect.kind === 'judgement' || item.aspect.kind === 'measurement';
  const hidden = received > bySeatMark.size;
  const cells: GridCell[] = item.seats.map((seat) => {
    const held = bySeatMark.get(seat);
    const isMissing = held
      ? false
      : missing === undefined
        ? // A reserve's seat stays empty unless a recusal routed the competitor to it.
          needed && received < expected && seat.startsWith('J')
        : (missing?.seats.includes(seat) ?? false);
    return {
      seat,
      value: held?.mark ?? null,
      dropped: held?.dropped ?? false,
      missing: isMissing,
      received: !held && !isMissing && hidden && seat.startsWith('J'),
      outlier: held && !replaced.has(seat) ? isOutlier(item.aspect, held.mark, result) : false,
      replaced: replaced.has(seat),
    };
  });
  return {
    item: item.item,
    result: json?.value ?? null,
    received,
    expected,
    tolerance: (json?.flags ?? []).some((f) => f.code === 'toleranceExceeded'),
    cells,
  } satisfies GridItemCells;
}

/** One row per workstation (in code order), whether or not the live view has a line for it yet. */
export function gridRows(
  items: readonly GridItem[],
  lines: readonly LiveStanding[],
  workstations: readonly string[] = [],
  missingOf: MissingOf = () => undefined,
): GridRow[] {
  const byWorkstation = new Map(lines.map((l) => [l.workstation, l]));
  const codes = [...new Set([...workstations, ...byWorkstation.keys()])].sort(bySeat);
  return codes.map((workstation) => {
    const line = byWorkstation.get(workstation);
    return {
      workstation,
      competitor: line?.competitor ?? workstation,
      rank: line?.rank ?? null,
      total: line?.total ?? null,
      complete: line?.complete ?? false,
      items: items.map((item) =>
        itemCells(item, line && aspectOf(line, item), missingOf(workstation, item.item)),
      ),
    };
  });
}

/** `missingOf` for a review: what each competitor still misses. */
export function missingFromReview(
  review: { competitors: readonly { workstation: string; missing: readonly MissingItem[] }[] } | undefined,
): MissingOf {
  if (!review) return () => undefined;
  const index = new Map<string, MissingItem>();
  for (const c of review.competitors)
    for (const m of c.missing) index.set(`${m.workstation}\u0000${m.item}`, m);
  const known = new Set(review.competitors.map((c) => c.workstation));
  return (workstation, item) =>
    known.has(workstation) ? (index.get(`${workstation}\u0000${item}`) ?? null) : undefined;
}
