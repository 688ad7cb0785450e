import { z } from 'zod';
import type { EventJson } from '../results/report';

/**
 * The real-time contract (Socket.IO, path /socket.io/, WebSocket first) between the server and the big
 * screens, spectators' phones and staff consoles, plus the cacheable snapshot endpoint
 * `GET /api/competitions/:competitionId/rounds/:roundId/live` that returns the same public RoundSnapshot.
 *
 * ## Connecting
 * `io(origin, { transports: ['websocket', 'polling'], auth: { token } })`: the token of an account, a judge or
 * a display; without one the socket is public. An invalid or expired token fails the connection with
 * `connect_error` "unauthenticated".
 *
 * ## Who sees what
 * The chief judge and the organizer see a round at any time; judges, displays and the public only once it is
 * published (until then `round:join` answers `{ error: { code: 'round_unpublished' } }`), or under open
 * scoring before. Competitors are labelled by workstation code until the round is decrypted, by name after
 * (`labels`); under open scoring, a competitor's line may carry the name before, once all their marks are in,
 * when the event's scheme says so (`namesShown: 'whenCompetitorComplete'`). A judge's device never gets a
 * name. Judges never appear by name.
 *
 * ## A competition's rounds
 * `competition:join` answers the rounds the audience may watch (`CompetitionSnapshot`); `competition:update`
 * follows when a round appears to it, changes status or freeze, or may no longer be watched. A big screen
 * that rotates across events, or a phone page listing the rounds, needs nothing else to stay current.
 *
 * ## Keeping up (versions)
 * Every accepted change to a round bumps its `version`. `round:join` answers a snapshot; `round:update`s
 * follow, coalesced across all server processes (at most one per 100 ms per round), so versions may skip
 * numbers; each delta names the version it was made from. `nextStep` (in `@jiangxin/shared/live`) says
 * what to do with each update:
 * - A higher version carrying a `snapshot` replaces the state, whatever the gap. The same version again is
 *   ignored.
 * - A lower version means the live view was rebuilt (its versions start again) or a message from another
 *   server process came late: send `round:join` again for a fresh snapshot.
 * - An update carrying a `delta` applies only on top of `delta.base`; when `base` differs from your version
 *   you saw a gap: `round:join` again. `RoundFollower` does all of this, holding back updates that overtake
 *   the answer to a `round:join` until it arrives.
 * - After a reconnection, `socket.recovered` true means nothing was missed; false: `round:join` again.
 * - `round:gone`: the round is no longer visible to you; drop it from the screen.
 */

export const roundJoinRequest = z.strictObject({ competitionId: z.uuid(), roundId: z.uuid() });
export type RoundJoinRequest = z.input<typeof roundJoinRequest>;

export const roundLeaveRequest = z.strictObject({ roundId: z.uuid() });
export type RoundLeaveRequest = z.input<typeof roundLeaveRequest>;

export const competitionJoinRequest = z.strictObject({ competitionId: z.uuid() });
export type CompetitionJoinRequest = z.input<typeof competitionJoinRequest>;

/**
 * Who a snapshot was built for: staff (chief judge, organizer), a judge's device (what the public sees,
 * never a name), or everyone else.
 */
export type LiveAudience = 'staff' | 'public' | 'judge';

/**
 * One competitor's line, with the whole breakdown of `pnpm results` (components, attempts, the marks used
 * and dropped by judge seat, deductions, flags): `rank` (null when disqualified), `total` (a decimal string
 * at the scheme's precision; null for a competitor drawn into the round without a mark yet, listed last with
 * the flag `noMarks`), `decidedBy` (the tie-break rule that separated this competitor from the
 * next), `shared`, `complete` (every mark the scheme needs is in).
 */
export type LiveStanding = Omit<EventJson['standings'][number], 'competitor'> & {
  /** The workstation code, or the competitor's name where it may be shown (see `labels`). */
  competitor: string;
  /** The workstation code: the key that deltas name a line by. */
  workstation: string;
};

/** One round's standings as a screen shows them. */
export interface RoundSnapshot {
  roundId: string;
  competitionId: string;
  version: number;
  audience: LiveAudience;
  status: { signedOff: boolean; decrypted: boolean; published: boolean; markingClosed: boolean };
  /** `name` when any line carries a competitor's name in `competitor`, `workstation` when none does. */
  labels: 'workstation' | 'name';
  /** The event's name. */
  event: string;
  /** The scheme's round id (Prelim, Final …). */
  round: string;
  standings: LiveStanding[];
  /**
   * Frozen for the ceremony (public audience): `revealed` places from the bottom are shown, `hidden` above
   * them are not sent at all; with nothing revealed yet, the standings are those at the moment of freezing.
   */
  frozen: { revealed: number; hidden: number } | null;
}

/** The one acknowledgement shape of every client → server event. */
export type LiveAck<T> = { data: T } | { error: { code: string; message: string } };

/**
 * A line's fields that changed (a new line: all of them), merged into the line held. A competitor passed by
 * another changes only `rank` (and `rounds`, `decidedBy`, `shared`), so the breakdown travels only with new
 * marks. The top-level fields of a line are fixed: a patch never removes one.
 */
export type LinePatch = Partial<LiveStanding> & { workstation: string };

/** What changed between two versions of a round whose status, labels and freeze are the same. */
export interface RoundDelta {
  /** The version this delta applies to: only a screen holding exactly this version may apply it. */
  base: number;
  /** Lines that are new or changed: the fields that changed. */
  changed: LinePatch[];
  /** The workstations in standing order, when the order or the set of lines changed. */
  order?: string[];
}

/** A change to a round: a whole snapshot (on joining, or when status, labels or freeze change) or a delta. */
export type RoundUpdate =
  | { roundId: string; version: number; snapshot: RoundSnapshot; delta?: never }
  | { roundId: string; version: number; delta: RoundDelta; snapshot?: never };

export interface RoundGone {
  roundId: string;
  reason: 'unpublished';
}

/** A round as a competition's screens list it (which rounds to show, rotate through, or announce). */
export interface RoundSummary {
  roundId: string;
  /** The round's live version when this was sent: of two summaries of one round, keep the higher. */
  version: number;
  event: string;
  round: string;
  status: { signedOff: boolean; decrypted: boolean; published: boolean; markingClosed: boolean };
  /** Open scoring: followed live by the public before publication. */
  open: boolean;
  /**
   * A competitor has a mark in the round (it has standings to show). It turns true with the round's first
   * mark, the only mark its competition's room hears of: screens skip a round never marked.
   */
  marked: boolean;
  /** Frozen for the ceremony (public audience only; staff always see the live standings). */
  frozen: boolean;
}

/** The rounds of a competition the audience may watch. */
export interface CompetitionSnapshot {
  competitionId: string;
  audience: LiveAudience;
  rounds: RoundSummary[];
}

/**
 * A round of the competition appeared to the audience or changed status or freeze (`round`), or may no
 * longer be watched (`gone`). Marks never cause one: they go to the round's own room.
 */
export type CompetitionUpdate =
  | { competitionId: string; round: RoundSummary; gone?: never }
  | { competitionId: string; gone: { roundId: string }; round?: never };

export interface LiveClientEvents {
  'round:join': (request: RoundJoinRequest, ack: (response: LiveAck<RoundSnapshot>) => void) => void;
  'round:leave': (request: RoundLeaveRequest, ack: (response: LiveAck<{ roundId: string }>) => void) => void;
  'competition:join': (
    request: CompetitionJoinRequest,
    ack: (response: LiveAck<CompetitionSnapshot>) => void,
  ) => void;
  'competition:leave': (
    request: CompetitionJoinRequest,
    ack: (response: LiveAck<{ competitionId: string }>) => void,
  ) => void;
}

/**
 * The socket's session is over: its token expired, its device was revoked or signed out, or it kept sending
 * events beyond its rate limit (flooding).
 */
export interface SessionEnded {
  reason: 'expired' | 'revoked' | 'flooding';
}

export interface LiveServerEvents {
  'round:update': (update: RoundUpdate) => void;
  'round:gone': (gone: RoundGone) => void;
  'competition:update': (update: CompetitionUpdate) => void;
  /** Sent just before the server closes the connection: sign in again (or pair again), then reconnect. */
  'session:ended': (ended: SessionEnded) => void;
}

/** The client's handshake (`io(url, { auth })`). */
export interface LiveHandshake {
  token?: string;
}
