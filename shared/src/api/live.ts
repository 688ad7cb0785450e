import { z } from 'zod';

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
 * published (until then `round:join` answers `{ error: { code: 'round_unpublished' } }`). Competitors are
 * labelled by workstation code until the round is decrypted, by name after (`labels`). Judges never appear
 * by name.
 *
 * ## Keeping up (versions)
 * Every accepted change to a round bumps its `version`. `round:join` answers a snapshot; `round:update`s
 * follow, coalesced (at most a few per second per round), so versions may skip numbers. `nextStep` says
 * what to do with each update:
 * - A higher version carrying a `snapshot` replaces the state, whatever the gap. The same version again is
 *   ignored.
 * - A lower version means the live view was rebuilt (its versions start again) or a message from another
 *   server process came late: send `round:join` again for a fresh snapshot.
 * - An update carrying a `delta` (not sent yet) applies only on top of `delta.base`; when `base` differs from
 *   your version you saw a gap: `round:join` again.
 * - After a reconnection, `socket.recovered` true means nothing was missed; false: `round:join` again.
 * - `round:gone`: the round is no longer visible to you; drop it from the screen.
 */

export const roundJoinRequest = z.strictObject({ competitionId: z.uuid(), roundId: z.uuid() });
export type RoundJoinRequest = z.input<typeof roundJoinRequest>;

export const roundLeaveRequest = z.strictObject({ roundId: z.uuid() });
export type RoundLeaveRequest = z.input<typeof roundLeaveRequest>;

/** Who a snapshot was built for: staff (chief judge, organizer) or everyone else. */
export type LiveAudience = 'staff' | 'public';

export interface LiveStanding {
  /** Competition ranking (1, 2, 2, 4); null for a disqualified competitor. */
  rank: number | null;
  /** The workstation code, or the competitor's name once the round is decrypted (see `labels`). */
  competitor: string;
  /** A decimal string at the scheme's precision. */
  total: string;
  /** The tie-break rule that separated this competitor from the next, if one did. */
  decidedBy: string | null;
  /** Whether the rank is shared with another competitor. */
  shared: boolean;
  /** Whether every mark the scheme needs is in. */
  complete: boolean;
}

/** One round's standings as a screen shows them. */
export interface RoundSnapshot {
  roundId: string;
  competitionId: string;
  version: number;
  audience: LiveAudience;
  status: { signedOff: boolean; decrypted: boolean; published: boolean };
  labels: 'workstation' | 'name';
  /** The event's name. */
  event: string;
  standings: LiveStanding[];
  /**
   * Frozen for the ceremony (public audience): `revealed` places from the bottom are shown, `hidden` above
   * them are not sent at all; with nothing revealed yet, the standings are those at the moment of freezing.
   */
  frozen: { revealed: number; hidden: number } | null;
}

/** The one acknowledgement shape of every client → server event. */
export type LiveAck<T> = { data: T } | { error: { code: string; message: string } };

/** A change to a round. Only `snapshot` is sent for now; `delta` is reserved for small changes later. */
export interface RoundUpdate {
  roundId: string;
  version: number;
  snapshot: RoundSnapshot;
}

export interface RoundGone {
  roundId: string;
  reason: 'unpublished';
}

export interface LiveClientEvents {
  'round:join': (request: RoundJoinRequest, ack: (response: LiveAck<RoundSnapshot>) => void) => void;
  'round:leave': (request: RoundLeaveRequest, ack: (response: LiveAck<{ roundId: string }>) => void) => void;
}

export interface LiveServerEvents {
  'round:update': (update: RoundUpdate) => void;
  'round:gone': (gone: RoundGone) => void;
}

/** The client's handshake (`io(url, { auth })`). */
export interface LiveHandshake {
  token?: string;
}

/**
 * What a client does with an update, given the version it holds (null: nothing yet): apply it, ignore it
 * (seen already), or join again for a snapshot (a gap a delta cannot bridge, or versions that started again).
 */
export function nextStep(
  held: number | null,
  update: Pick<RoundUpdate, 'version'> & { delta?: { base: number } },
): 'apply' | 'ignore' | 'rejoin' {
  if (held === null) return update.delta ? 'rejoin' : 'apply';
  if (update.version === held) return 'ignore';
  if (update.version < held) return 'rejoin';
  return update.delta && update.delta.base !== held ? 'rejoin' : 'apply';
}
