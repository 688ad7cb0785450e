import type { Executor } from '../../db/client';
import { AppError, type Localized } from '../../plugins/errors';
import { type Audit, audited, type Writer } from '../audit/service';
import * as repo from './repository';

/**
 * Sign-in limits. A venue's tablets and staff often share one address, so nothing an outsider does from
 * another address (or from the same one, at another account) may lock a member of staff out:
 * - one account from one address, one tablet, one judge across tablets: `lockAfter` failures within the
 *   window lock that key until the oldest of them leaves the window;
 * - one account from any address, and one address at any account: after a budget of failures within the
 *   window each further attempt waits a growing delay of seconds after the last one (back off, never lock).
 * Attempts live in sign_in_failures, so every server process of a venue sees the same counts.
 */
export const SIGN_IN_LIMITS = {
  windowSeconds: 15 * 60,
  lockAfter: 5,
  /** Failures at one account from anywhere before its attempts back off. */
  accountBudget: 10,
  /** Failures from one address at any accounts before its attempts back off (credential stuffing). */
  addressBudget: 50,
  /** The first delay over a budget, doubled by each further failure up to the last. */
  backOffSeconds: { first: 1, last: 30 },
} as const;

/** What a limit answers when it refuses an attempt, given the wait. */
type Refusal = (wait: { zh: string; en: string }) => Localized;

export interface Limit {
  /** The sign_in_failures key, e.g. `address:<ip>|account:<username>`. */
  key: string;
  /** `lock`: refused after SIGN_IN_LIMITS.lockAfter failures; `backOff`: slowed after `budget` failures. */
  mode: 'lock' | 'backOff';
  budget: number;
  refusal: Refusal;
  /** Runs in a transaction once, when a failure locks the key (to audit the lock and how long it lasts). */
  onLock?: (tx: Executor, audit: Audit, lockedUntil: Date) => Promise<void>;
}

/** A lock after SIGN_IN_LIMITS.lockAfter failures within the window. */
export const lockLimit = (key: string, refusal: Refusal, onLock?: Limit['onLock']): Limit => ({
  key,
  mode: 'lock',
  budget: SIGN_IN_LIMITS.lockAfter,
  refusal,
  ...(onLock ? { onLock } : {}),
});

/** How long `seconds` is, in words of both languages. */
function waitOf(seconds: number) {
  if (seconds < 60) return { zh: `${seconds} 秒`, en: `${seconds} second${seconds > 1 ? 's' : ''}` };
  const minutes = Math.ceil(seconds / 60);
  return { zh: `${minutes} 分钟`, en: `${minutes} minute${minutes > 1 ? 's' : ''}` };
}

/** A 429 that says when to try again (also sent as Retry-After by the routes). */
export class SignInLockedError extends AppError {
  constructor(
    refusal: Refusal,
    readonly retryAt: Date,
    now: Date,
  ) {
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
    super(429, 'sign_in_locked', refusal(waitOf(retryAfterSeconds)), {
      retryAt: retryAt.toISOString(),
      retryAfterSeconds,
    });
  }

  get retryAfterSeconds(): number {
    return (this.details as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

const afterSeconds = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

type Attempt = { at: Date; now: Date };

/** When the limit admits another attempt, given its attempts in the window (oldest first); null: now. */
function refusedUntil(limit: Limit, earlier: Attempt[]): Date | null {
  if (earlier.length < limit.budget) return null;
  const now = earlier[0]?.now ?? new Date();
  if (limit.mode === 'lock') {
    // Free again once all but budget − 1 of the earlier attempts have left the window.
    const freeing = earlier[earlier.length - limit.budget];
    return afterSeconds(freeing?.at ?? now, SIGN_IN_LIMITS.windowSeconds);
  }
  const { first, last } = SIGN_IN_LIMITS.backOffSeconds;
  const delay = Math.min(last, first * 2 ** (earlier.length - limit.budget));
  const until = afterSeconds(earlier[earlier.length - 1]?.at ?? now, delay);
  return until > now ? until : null;
}

export interface LimitedSignIn<T> {
  /** The check of the password or PIN: the signed-in subject, or null when it is wrong. */
  check: () => Promise<T | null>;
  /** The keys whose earlier failures a success forgets (the attempt's own are always forgotten). */
  clearOnSuccess: string[];
}

/**
 * Runs a sign-in check under every limit given: refuses with SignInLockedError (the longest wait of those
 * that refuse) when one does, otherwise returns the check's result, recording a failure when it is null.
 *
 * The attempt is written under each key before the check, counted with the others under locks on the keys
 * (so concurrent attempts, from any server process, are admitted one at a time), and deleted again after a
 * success (or an error in the check); otherwise it stays as the failure. The slow check (argon2) runs
 * outside that short transaction.
 */
export async function limitedSignIn<T>(
  writer: Writer,
  limits: Limit[],
  run: LimitedSignIn<T>,
): Promise<T | null> {
  const { db } = writer;
  const admitted = await db.transaction(async (tx) => {
    // Always in the same order, so two attempts sharing keys cannot deadlock.
    for (const key of limits.map((l) => l.key).sort()) await repo.lockKey(tx, key);
    const counted: Attempt[][] = [];
    let refusal: { limit: Limit; until: Date; now: Date } | null = null;
    for (const limit of limits) {
      await repo.forgetOldAttempts(tx, limit.key, SIGN_IN_LIMITS.windowSeconds);
      const earlier = await repo.attemptsWithin(tx, limit.key, SIGN_IN_LIMITS.windowSeconds);
      counted.push(earlier);
      const until = refusedUntil(limit, earlier);
      if (until && (!refusal || until > refusal.until))
        refusal = { limit, until, now: earlier[0]?.now ?? new Date() };
    }
    if (refusal) return { counted, refusal, mine: [] };
    const mine = [];
    for (const limit of limits) mine.push(await repo.recordAttempt(tx, limit.key));
    return { counted, refusal, mine };
  });
  const { counted, refusal, mine } = admitted;
  if (refusal) throw new SignInLockedError(refusal.limit.refusal, refusal.until, refusal.now);
  const forgetMine = () =>
    repo.deleteAttempts(
      db,
      mine.map((m) => m.id),
    );
  let result: T | null;
  try {
    result = await run.check();
  } catch (error) {
    await forgetMine();
    throw error;
  }
  if (result !== null) {
    await forgetMine();
    for (const key of run.clearOnSuccess) await repo.clearAttempts(db, key);
    return result;
  }
  for (const [i, limit] of limits.entries()) {
    const earlier = counted[i] ?? [];
    const first = earlier[0] ?? mine[i];
    const { onLock } = limit;
    // Audited once: by the failure that reaches the lock.
    if (limit.mode !== 'lock' || !onLock || !first || earlier.length + 1 !== limit.budget) continue;
    const lockedUntil = afterSeconds(first.at, SIGN_IN_LIMITS.windowSeconds);
    await audited(writer, (tx, audit) => onLock(tx, audit, lockedUntil));
  }
  return null;
}
