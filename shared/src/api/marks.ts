import { z } from 'zod';
import { DECIMAL_PATTERN } from '../decimal';
import type { Flag } from '../engine/types';
import type { EventJson } from '../results/report';
import { plainText } from './text';

/**
 * The HTTP contract of judges' marks, the chief judge's review, sign-off, decryption and publication.
 * Routes live under `/api/competitions/:competitionId/rounds/:roundId/…`; see docs in server/src/modules/marks.
 *
 * ## Refused or retry (for the offline-first tablet's outbox)
 * Every mark carries a client-generated id (a UUID) and may be sent any number of times:
 * - 201: stored now. 200: already stored earlier with the same body (the original mark is returned).
 *   Either way the outbox entry is done.
 * - 400, 403, 404, 409 (`error.code` says why, `error.message` in zh-CN or en): refused. Retrying the same
 *   request gives the same answer: show the reason to the judge and drop or fix the entry (a changed mark is
 *   a NEW id). 409 `mark_id_conflict` means the id was already used for a different body; 409
 *   `round_signed_off` means the round is locked (only a correction request can change it now).
 * - 401: the token expired or the tablet was revoked: sign in again, then retry the same request. (Renew the
 *   token before it expires with POST /api/auth/refresh; a judge whose token lapsed signs in again with the
 *   PIN through POST /api/devices/judge-resume, without re-pairing, for 24 hours after the expiry.)
 * - 5xx, 429, timeouts and network errors: retry the same request (same id, same body) later.
 * Send the marks of one (workstation, item) in the order they were made: the latest stored mark counts.
 */

/** What the tablet's outbox should do with an answer to a mark request. */
export type MarkOutcome = 'stored' | 'refused' | 'reauthenticate' | 'retry';

export function markOutcome(status: number | null, code?: string): MarkOutcome {
  if (status === null) return 'retry';
  // Marking closed for now: the mark waits on the tablet and goes again once the round reopens.
  if (status === 409 && code === 'round_closed') return 'retry';
  if (status === 200 || status === 201) return 'stored';
  if (status === 401) return 'reauthenticate';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status >= 400) return 'refused';
  return 'retry';
}

/** A mark as text: "8.5", "0", "12.25" (never a JSON number, so no binary fraction enters). */
export const markValue = z
  .string()
  .trim()
  .max(32)
  .regex(DECIMAL_PATTERN, { message: 'must be a decimal number such as "8.5"' });

/** A workstation code (工位号) such as A01: judges and scorekeepers name competitors only by it. */
export const workstationCode = plainText({ max: 32 });
/** A scheme item: an aspect id, or `<label>-<n>[:<aspect>]` for attempts (`run-1:lapTime`, `dive-3`). */
export const itemName = plainText({ max: 100 });
/** A judge's seat on the panel (J1 … J7), as written on the paper sheet. */
export const seatName = plainText({ max: 16 });
/** A reason may run over several lines. */
const reasonText = plainText({ max: 2000, lines: true });

/** What a mark is on: the workstation and the item (the seat is the judge's own, or named beside). */
const markPlace = { workstation: workstationCode, item: itemName };
/** A mark on a named seat, as copied from a paper sheet or corrected after sign-off. */
const seatMark = { ...markPlace, seat: seatName, value: markValue };

/** POST …/marks (judge tablet). Changing a mark is submitting a new id for the same workstation and item. */
export const submitMarkRequest = z.strictObject({
  /** Client-generated (a UUID v4: client/src/common/id.ts), kept in the outbox until the server answered. */
  id: z.uuid(),
  ...markPlace,
  value: markValue,
});
export type SubmitMarkRequest = z.input<typeof submitMarkRequest>;

/** POST …/paper-marks (scorekeeper): a mark copied from a signed paper sheet; it counts once confirmed. */
export const paperMarkRequest = z.strictObject({ id: z.uuid(), ...seatMark });
export type PaperMarkRequest = z.input<typeof paperMarkRequest>;

/** POST …/paper-marks/:markId/confirm: a second person checks the entry; `value`, if given, must match. No body is fine. */
export const confirmPaperMarkRequest = z
  .strictObject({
    /** The value read again from the sheet by the confirming person (double entry). */
    value: markValue.optional(),
  })
  .nullish();
export type ConfirmPaperMarkRequest = z.input<typeof confirmPaperMarkRequest>;

/**
 * POST …/corrections: after sign-off, a changed mark with a reason, for the chief judge to approve or reject
 * (before sign-off: 409 `round_not_signed_off`, judges change their own marks then).
 * - Chief judge, scorekeeper: `correctionRequest`, naming the seat (400 naming `seat` without it).
 * - A judge on their tablet: `judgeCorrectionRequest`, for their OWN seat only. The server finds the judge's
 *   seat for the workstation and item (refused as a mark would be: 403 `recused`, 403 `not_your_panel`,
 *   404 `workstation_unknown`); `seat` may be left out and, if given, must be that seat (403 `not_your_seat`).
 *   The correction's `requestedBy` is then the tablet, `device:<id>`.
 * The route validates with `judgeCorrectionRequest`, then holds an account to `correctionRequest`.
 */
export const correctionRequest = z.strictObject({ ...seatMark, reason: reasonText });
export type CorrectionRequest = z.input<typeof correctionRequest>;

/** POST …/corrections from a judge's tablet: the judge's own seat, so `seat` is optional (see above). */
export const judgeCorrectionRequest = correctionRequest.partial({ seat: true });
export type JudgeCorrectionRequest = z.input<typeof judgeCorrectionRequest>;

/** POST …/corrections/:id/approve and …/reject (chief judge). */
export const correctionDecisionRequest = z.strictObject({ reason: reasonText });
export type CorrectionDecisionRequest = z.input<typeof correctionDecisionRequest>;

/** POST …/remarks (chief judge): every seat marking the item marks it again. */
export const remarkRequest = z.strictObject({ ...markPlace, reason: reasonText });
export type RemarkRequest = z.input<typeof remarkRequest>;

/**
 * POST …/missing-marks (chief judge): a judge's mark cannot be had (the tablet died mid-round), so the seat's
 * mark is replaced under the scheme's `missingMark` rule; the engine computes the value from the others.
 */
export const missingMarkRequest = z.strictObject({ ...markPlace, seat: seatName, reason: reasonText });
export type MissingMarkRequest = z.input<typeof missingMarkRequest>;

/** A seat whose missing mark is replaced: where, by which rule, and who applied it when. */
export interface MissingMarkView {
  id: string;
  workstation: string;
  item: string;
  seat: string;
  rule: 'averageOfOthers';
  reason: string;
  appliedAt: string;
}

/** POST …/sign-off (chief judge). With anything missing, unconfirmed or flagged it needs force and a reason. */
export const signOffRequest = z
  .strictObject({
    confirm: z.literal(true),
    force: z.boolean().optional(),
    reason: reasonText.optional(),
  })
  .refine((b) => !b.force || b.reason !== undefined, {
    message: 'a forced sign-off needs a reason',
    path: ['reason'],
  });
export type SignOffRequest = z.input<typeof signOffRequest>;

// ── Responses ────────────────────────────────────────────────────────────────────────────────────────

export type MarkSource = 'tablet' | 'paper' | 'correction';

/** A stored mark, by workstation code and seat (never by competitor or judge name). */
export interface MarkView {
  id: string;
  workstation: string;
  item: string;
  value: string;
  /** The seat it counts in, or null if its judge holds no seat for it any more. */
  seat: string | null;
  /** The server's order of arrival: the latest effective mark of a seat counts. */
  seq: number;
  source: MarkSource;
  createdAt: string;
  /** Paper marks: when a second person confirmed it (it counts from then on); null while unconfirmed. */
  confirmedAt?: string | null;
}

export interface MarkResponse {
  mark: MarkView;
}

export interface RoundStatus {
  id: string;
  /** The scheme's round id (Final, Semi …). */
  key: string;
  event: { id: string; name: string };
  signedOffAt: string | null;
  decryptedAt: string | null;
  publishedAt: string | null;
  /** Marking closed (null: open): tablets hold their marks until it reopens. */
  markingClosedAt: string | null;
}

export interface RemarkView {
  id: string;
  workstation: string;
  item: string;
  reason: string;
  orderedAt: string;
  /** Seats that have not marked the item since the order (the order is open while any is left). */
  pendingSeats: string[];
}

/** GET …/my-marks (judge): what this judge marks, their current marks and open re-mark orders. */
export interface MyMarksResponse {
  round: RoundStatus;
  /** Per workstation, the items this judge may mark (recused workstations are left out). */
  assignments: {
    workstation: string;
    items: string[];
    /** The competitor's declared attempts with their degree of difficulty (a dive list), in order; [] if none. */
    attempts: { attempt: number; difficulty: string }[];
  }[];
  /** The judge's mark in force for each workstation and item. */
  marks: MarkView[];
  /** Re-mark orders this judge has not answered with a newer mark. */
  remarks: RemarkView[];
  /**
   * Corrections of this judge's marks (the seats this judge marks in), oldest first, whoever asked for them:
   * pending, approved (the corrected mark is then among `marks`, source `correction`) or rejected, with the
   * chief judge's reason.
   */
  corrections: CorrectionView[];
}

export interface MissingItem {
  workstation: string;
  item: string;
  /** Marks the scheme needs for the item, and marks in force now. */
  expected: number;
  received: number;
  /** Seats that have not marked it (any of them may, when the item needs fewer marks than seats). */
  seats: string[];
  /** True when no panel of the event marks this aspect (nobody can enter it yet). */
  unassigned: boolean;
}

export interface ReviewFlag {
  workstation: string;
  /** The item flagged, or null for the competitor as a whole. */
  item: string | null;
  flag: Flag;
  /** Whether it holds up sign-off (a tolerance rule with a fallback, a veto, are results, not problems). */
  blocking: boolean;
}

export interface PaperMarkView extends MarkView {
  enteredBy: string;
  /**
   * A newer mark of the same seat is in force, so confirming this one would change nothing: it no longer
   * holds up sign-off. (A wrong paper entry is withdrawn this way: enter the right one and confirm it.)
   */
  superseded: boolean;
}

export type CorrectionStatus = 'pending' | 'approved' | 'rejected';

export interface CorrectionView {
  id: string;
  workstation: string;
  item: string;
  seat: string;
  value: string;
  /** The mark in force for that seat when the correction was looked at. */
  currentValue: string | null;
  reason: string;
  status: CorrectionStatus;
  /**
   * Who asked, written as the audit log writes actors: `account:<id>` (chief judge, scorekeeper) or
   * `device:<id>` (a judge on that tablet).
   */
  requestedBy: string;
  /** The chief judge who decided, `account:<id>`, while pending null. */
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** The correction mark written on approval. */
  markId: string | null;
}

export interface SignOffBlockers {
  missing: MissingItem[];
  unconfirmedPaper: PaperMarkView[];
  flagged: ReviewFlag[];
  openRemarks: RemarkView[];
}

/** A panel (裁判组) marking a competitor in the round, with its group label (A组; empty when none). */
export interface MarkingPanel {
  id: string;
  name: string;
  group: string;
}

export interface ReviewCompetitor {
  workstation: string;
  /** Only after decryption. */
  name?: string;
  /** The panels whose seats mark this competitor's items in the round. */
  panels: MarkingPanel[];
  complete: boolean;
  missing: MissingItem[];
  flags: ReviewFlag[];
  openRemarks: RemarkView[];
}

/** GET …/review (chief judge): standings from the engine by workstation code, what is missing or flagged. */
export interface ReviewResponse {
  round: RoundStatus;
  /** The engine's results (eventJson): competitors are workstation codes, judges are seats. */
  event: EventJson;
  competitors: ReviewCompetitor[];
  pendingPaper: PaperMarkView[];
  corrections: CorrectionView[];
  /** What sign-off would refuse without force; all empty means the round can be signed off. */
  blockers: SignOffBlockers;
  /** Marks in force whose judge holds no seat for them any more (not counted). */
  unseatedMarks: number;
  /** Per item, the seats the round's seating gives it across the field (J8… of a second panel included). */
  seats: Record<string, string[]>;
}

export interface RoundResponse {
  round: RoundStatus;
}

export interface SignOffResponse {
  round: RoundStatus;
  forced: boolean;
}

export interface CorrectionResponse {
  correction: CorrectionView;
}

export interface CorrectionDecisionResponse {
  correction: CorrectionView;
  mark: MarkView | null;
}

export interface RemarkResponse {
  remark: RemarkView;
}

/** GET …/results: public once published; names once decrypted, workstation codes before. */
export interface RoundResultsResponse {
  round: RoundStatus;
  labels: 'name' | 'workstation';
  /** The engine's results with competitors as `labels` says. */
  event: EventJson;
  competitors: { label: string; workstation: string; name?: string; unit?: string }[];
}

/** GET /api/competitions/:competitionId/audit/verify (chief judge, organizer). */
export interface AuditVerifyResponse {
  ok: boolean;
  entries: number;
  /** The seq of the first entry that does not verify. */
  brokenAt?: number;
  reason?: string;
}
