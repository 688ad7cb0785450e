import type { Decimal } from '../decimal';
import type { Aggregate, JudgeMark } from './aggregate';

/** One judge's mark for one item of one competitor, as entered (decimal text). */
export interface MarkInput {
  item: string;
  judge: string;
  value: string;
}

/**
 * A seat whose mark the chief judge had replaced under the scheme's `missingMark` rule; the engine computes
 * the value (the average of the others), and only while the seat has no mark of its own.
 */
export interface MissingMarkInput {
  item: string;
  judge: string;
}

export interface EventMissingMarkInput extends MissingMarkInput {
  round: string;
  competitor: string;
}

export interface EventMarkInput extends MarkInput {
  round: string;
  competitor: string;
}

/** A competitor entered in a round (drawn or checked in), listed in its standings with marks or without. */
export interface RoundEntry {
  round: string;
  competitor: string;
}

/** A declared attempt's degree of difficulty (a dive list entry). */
export interface DifficultyInput {
  round: string;
  competitor: string;
  attempt: number;
  difficulty: string;
}

export type Flag =
  /** Entered in the round (drawn, checked in) but not one mark yet: no total, ranked last. */
  | { code: 'noMarks' }
  | { code: 'missingMarks'; expected: number; received: number }
  | { code: 'tooManyMarks'; expected: number; received: number }
  | { code: 'toleranceExceeded'; spread: string; maxSpread: string; fallback: boolean }
  | { code: 'outsideTable'; value: string }
  | { code: 'missingDifficulty' }
  /** An attempt left off the competitor's declared list and never marked (withdrawn, a shorter list). */
  | { code: 'notPerformed' }
  | { code: 'vetoed'; by: string }
  | { code: 'triggered'; by: string; value: string }
  | { code: 'missingRound'; round: string }
  /** A seat's mark replaced by the scheme's rule (the average of the others): the seat, and the value, exact. */
  | { code: 'markReplaced'; judge: string; value: string };

export interface AspectResult {
  aspect: string;
  kind: 'judgement' | 'measurement' | 'deduction' | 'veto';
  marks: JudgeMark[];
  used: JudgeMark[];
  dropped: JudgeMark[];
  /** The panel's aggregate (judgement) or the measured value / count (other kinds); null before any mark. */
  value: Decimal | null;
  /** What the aspect adds to its attempt or component (negative for deductions); null before any mark. */
  points: Decimal | null;
  flags: Flag[];
}

export interface AttemptResult {
  attempt: number;
  difficulty: Decimal | null;
  aspects: AspectResult[];
  points: Decimal | null;
  /** False for an attempt that a best-of combination did not count. */
  counted: boolean;
  flags: Flag[];
}

export interface ComponentResult {
  component: string;
  /** On the component's own scale, after deductions, floor and vetoes. */
  raw: Decimal;
  /** After normalisation (equal to raw when the component is not normalised). */
  score: Decimal;
  /** What the component adds to the total. */
  weighted: Decimal;
  aspects: AspectResult[];
  attempts: AttemptResult[];
  /** With `judgeTotals`: each judge's total over the judgement aspects, which were used and dropped. */
  judgeTotals: Aggregate | null;
  zeroedBy: string | null;
}

/** One competitor's result in one round. */
export interface CompetitorScore {
  competitor: string;
  round: string;
  /** This round's own score. */
  own: Decimal;
  carried: { round: string; total: Decimal }[];
  /** own + carried, the figure the round is ranked by. */
  total: Decimal;
  components: ComponentResult[];
  deductions: Decimal;
  disqualifiedBy: string | null;
  complete: boolean;
  flags: Flag[];
}

export interface Placing {
  /** Competition ranking (1, 2, 2, 4); null for a disqualified competitor. */
  rank: number | null;
  /** The tie-break quantity that separated this competitor from an equal total, or null. */
  decidedBy: string | null;
  /** True when every tie-break was equal too and the place is shared. */
  shared: boolean;
}

export interface RoundStanding extends Placing {
  score: CompetitorScore;
}

export interface Advancement {
  count: number;
  advancing: string[];
  /** Competitors sharing the place at the cut, when more than `count` would advance. */
  tiedAtCut: string[];
}

export interface RoundResult {
  round: string;
  standings: RoundStanding[];
  advancement: Advancement | null;
}

export interface EventStanding extends Placing {
  competitor: string;
  /** The last round the competitor reached; their place comes from it. */
  round: string;
  score: CompetitorScore;
  /** The total on the scheme's standard scale, when it has one (null when disqualified). */
  standardScore: Decimal | null;
}

export interface EventResult {
  rounds: RoundResult[];
  standings: EventStanding[];
}
