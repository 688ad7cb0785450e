/** Helpers to present results. */

const collator = new Intl.Collator('en', { numeric: true });

export interface ShownMark {
  judge: string;
  mark: string;
  dropped: boolean;
}

/** A panel's marks in judge order (J1, J2, … J10), each telling whether the rules dropped it. */
export function marksInJudgeOrder(
  used: readonly { judge: string; mark: string }[],
  dropped: readonly { judge: string; mark: string }[],
): ShownMark[] {
  return [
    ...used.map((m) => ({ ...m, dropped: false })),
    ...dropped.map((m) => ({ ...m, dropped: true })),
  ].sort((a, b) => collator.compare(a.judge, b.judge));
}

/** A detail value, or a dash before there is one. */
export const shown = (value: string | null) => value ?? '–';
