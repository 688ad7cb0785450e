import { z } from 'zod';
import { type AccountRole, accountRoles } from './roles';
import { plainText } from './text';

/**
 * The HTTP contract of sign-in, accounts and devices, shared by the server (validation, responses) and the
 * client. Accounts sign in with a password; a tablet or big screen is paired by the organizer with a short
 * code (typed, or scanned from a QR code), and a judge signs in on a paired tablet with a PIN.
 */

/** Usernames are compared in lower case, so 张伟 / ZhangWei / zhangwei are one account each way they are typed. */
const username = ({ min = 1 }: { min?: number } = {}) => plainText({ min, max: 64 }).toLowerCase();

/** A judge's PIN: 4 to 8 digits. */
export const PIN_PATTERN = /^[0-9]{4,8}$/;
const pin = z.string().regex(PIN_PATTERN, 'must be 4 to 8 digits');

/** The pairing code alphabet: no 0/O, 1/I/L, so a code read aloud or off a screen is typed right. */
export const PAIRING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const PAIRING_CODE_LENGTH = 8;
const PAIRING_CODE_PATTERN = new RegExp(`^[${PAIRING_CODE_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`);

/** The text of the QR code shown for a device to pair: a tablet's scanner hands it to POST /api/devices/pair. */
export const pairingUri = (code: string) => `jiangxin://pair?c=${code}`;

/**
 * A pairing code as typed or scanned: `ABCD-EFGH`, `abcd efgh` or the whole `jiangxin://pair?c=…` text all
 * become `ABCDEFGH`.
 */
export function normalizePairingCode(input: string): string {
  const scanned = /^jiangxin:\/\/pair\?(?:.*&)?c=([^&]*)/i.exec(input.trim());
  const code = scanned ? decodeURIComponent(scanned[1] ?? '') : input;
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** A pairing code for display, in two groups of four: `ABCD-EFGH`. */
export const formatPairingCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────────

/** POST /api/auth/login */
export const loginRequest = z.strictObject({
  username: username(),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.input<typeof loginRequest>;

/**
 * POST /api/competitions/:competitionId/members: grants a role; creates the account when the username is
 * new (then displayName and a password of at least 8 characters are needed). An existing account keeps its
 * name and password.
 */
export const grantMembershipRequest = z.strictObject({
  username: username({ min: 3 }).regex(/^[\p{L}\p{N}._@-]+$/u, 'may hold letters, digits and . _ - @ only'),
  displayName: plainText({ max: 100 }).optional(),
  password: z.string().min(8).max(256).optional(),
  role: z.enum(accountRoles),
});
export type GrantMembershipRequest = z.input<typeof grantMembershipRequest>;

/** POST /api/competitions/:competitionId/devices */
export const createDeviceRequest = z.strictObject({
  kind: z.enum(['judge', 'display']),
  /** What is written on the device, so people find it: 平板 3, 主屏. */
  label: plainText({ max: 100 }),
});
export type CreateDeviceRequest = z.input<typeof createDeviceRequest>;

/** POST /api/devices/pair: the code as typed, or the scanned QR text. */
export const pairDeviceRequest = z.strictObject({
  code: z
    .string()
    .max(200)
    .transform(normalizePairingCode)
    .pipe(
      z
        .string()
        .regex(
          PAIRING_CODE_PATTERN,
          `must be ${PAIRING_CODE_LENGTH} characters from ${PAIRING_CODE_ALPHABET} (a dash or spaces are allowed)`,
        ),
    ),
});
export type PairDeviceRequest = z.input<typeof pairDeviceRequest>;

/** POST /api/competitions/:competitionId/judges/:judgeId/pin */
export const setPinRequest = z.strictObject({ pin });
export type SetPinRequest = z.input<typeof setPinRequest>;

/** POST /api/devices/judge-sign-in (with the tablet's token) */
export const judgeSignInRequest = z.strictObject({
  judgeId: z.guid(),
  pin,
});
export type JudgeSignInRequest = z.input<typeof judgeSignInRequest>;

/**
 * How long after its expiry a judge's token still lets the judge sign in again on the same tablet with the
 * PIN (POST /api/devices/judge-resume): 24 hours. Later, or once the tablet was revoked, paired again or the
 * judge signed out, only a new pairing by the organizer brings the tablet back.
 */
export const JUDGE_RESUME_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * POST /api/devices/judge-resume (no Authorization header: an expired bearer token is refused by every
 * route): a judge whose token expired, e.g. while the tablet was offline with marks in its outbox, signs in
 * again with the PIN without re-pairing. `token` is the judge's own last token, expired no more than
 * JUDGE_RESUME_WINDOW_SECONDS ago (an unexpired one works too); the tablet must still be paired, unrevoked,
 * with the same judge signed in. Any other token is 401 `unauthenticated` (which check failed is not said);
 * a wrong PIN is 401 `pin_wrong` and counts against the tablet's sign-in limit like judge-sign-in (429
 * `sign_in_locked` with Retry-After). Answers JudgeSignInResponse.
 */
export const judgeResumeRequest = z.strictObject({
  token: z
    .string()
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a token as the server issued it'),
  pin,
});
export type JudgeResumeRequest = z.input<typeof judgeResumeRequest>;

// ── Responses ────────────────────────────────────────────────────────────────────────────────────────

/** A bearer token and when it stops working (ISO 8601); renew it before then. */
export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export interface AccountSummary {
  id: string;
  displayName: string;
  /** May create competitions. */
  organizer: boolean;
}

export interface LoginResponse extends IssuedToken {
  account: AccountSummary;
}

/**
 * POST /api/auth/refresh (no body): renews the bearer token it is called with, any kind (account, judge,
 * tablet, display), while that token is still valid; renew before `expiresAt`. An expired token, a revoked or
 * re-paired device, or a deleted account is 401 `unauthenticated` (a judge then uses judge-resume). An
 * account's answer also carries its summary, as at login.
 */
export interface RefreshResponse extends IssuedToken {
  account?: AccountSummary;
}

/** GET /api/auth/me: who the token belongs to. */
export type WhoAmI =
  | { kind: 'public' }
  | {
      kind: 'account';
      account: AccountSummary & { username: string };
      memberships: { competitionId: string; role: AccountRole }[];
    }
  | { kind: 'tablet'; deviceId: string; competitionId: string }
  | { kind: 'judge'; deviceId: string; competitionId: string; judgeId: string }
  | { kind: 'display'; deviceId: string; competitionId: string };

export interface Member {
  accountId: string;
  username: string;
  displayName: string;
  roles: AccountRole[];
}

/** POST …/members */
export interface GrantMembershipResponse {
  member: Member;
  /** False when the username already had an account (its name and password were left as they were). */
  accountCreated: boolean;
}

/** GET …/members */
export interface MembersResponse {
  members: Member[];
}

export type DeviceKind = 'judge' | 'display';

export interface Device {
  id: string;
  competitionId: string;
  kind: DeviceKind;
  label: string;
  /** waiting for its pairing code; paired; or revoked (its tokens no longer work). */
  status: 'pending' | 'paired' | 'revoked';
  pairingExpiresAt: string | null;
  pairedAt: string | null;
  revokedAt: string | null;
  /** The judge signed in on this tablet, if any. */
  judge: { id: string; name: string } | null;
  createdAt: string;
}

/** POST …/devices: the code is shown once; only its hash is kept. */
export interface CreateDeviceResponse {
  device: Device;
  /** 8 characters, shown as ABCD-EFGH; valid until pairingExpiresAt and only once. */
  pairingCode: string;
  /** The text of the QR code. */
  pairingUri: string;
  pairingExpiresAt: string;
}

export interface DevicesResponse {
  devices: Device[];
}

/** POST /api/devices/pair: a display token for a screen, a tablet token (judge sign-in only) for a tablet. */
export interface PairDeviceResponse extends IssuedToken {
  device: { id: string; competitionId: string; kind: DeviceKind; label: string };
}

/** GET /api/devices/judges: the judges a tablet offers at sign-in. */
export interface SignInJudgesResponse {
  judges: { id: string; name: string; pinSet: boolean }[];
}

/** POST /api/devices/judge-sign-in */
export interface JudgeSignInResponse extends IssuedToken {
  judge: { id: string; name: string };
}

/** POST …/judges/:judgeId/pin */
export interface SetPinResponse {
  judge: { id: string; name: string; pinSet: true };
}
