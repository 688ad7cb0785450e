import type { Executor } from '../../db/client';
import { AppError } from '../../plugins/errors';
import { type Audit, audited, type Writer } from '../audit/service';
import * as repo from './repository';

/**
 * Sign-in rate limits, per account (`account:<username>`) and per device (`device:<id>`), never per IP: a
 * whole venue shares one address. After `failures` failed attempts within `windowSeconds` the key is
 * refused until the oldest of them leaves the window. Attempts live in sign_in_failures, so every server
 * process of a venue sees the same count.
 */
export const SIGN_IN_LIMIT = { failures: 5, windowSeconds: 15 * 60 } as const;

export type LimitKey = { kind: 'account'; username: string } | { kind: 'device'; deviceId: string };

const keyOf = (key: LimitKey) =>
  key.kind === 'account' ? `account:${key.username}` : `device:${key.deviceId}`;

/** A 429 that says when to try again (also sent as Retry-After by the routes). */
export class SignInLockedError extends AppError {
  constructor(
    key: LimitKey,
    readonly retryAt: Date,
    now: Date,
  ) {
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    const { failures, windowSeconds } = SIGN_IN_LIMIT;
    const window = windowSeconds / 60;
    super(
      429,
      'sign_in_locked',
      key.kind === 'account'
        ? {
            'zh-CN': `该账号 ${window} 分钟内已登录失败 ${failures} 次，已暂时锁定：请在 ${minutes} 分钟后重试`,
            en: `${failures} failed sign-ins for this account within ${window} minutes: try again in ${minutes} minute${minutes > 1 ? 's' : ''}`,
          }
        : {
            'zh-CN': `这台平板 ${window} 分钟内 PIN 已输错 ${failures} 次，已暂时锁定：请在 ${minutes} 分钟后重试，或请裁判长处理`,
            en: `${failures} wrong PINs on this tablet within ${window} minutes: try again in ${minutes} minute${minutes > 1 ? 's' : ''}, or ask the chief judge`,
          },
      { retryAt: retryAt.toISOString(), retryAfterSeconds },
    );
  }

  get retryAfterSeconds(): number {
    return (this.details as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

const plusWindow = (at: Date) => new Date(at.getTime() + SIGN_IN_LIMIT.windowSeconds * 1000);

export interface LimitedSignIn<T> {
  /** The check of the password or PIN: the signed-in subject, or null when it is wrong. */
  check: () => Promise<T | null>;
  /** Runs in a transaction once, when a failure locks the key (to audit the lock and how long it lasts). */
  onLock?: (tx: Executor, audit: Audit, lockedUntil: Date) => Promise<void>;
  /** Whether a success forgets the key's earlier failures. */
  clearOnSuccess: boolean;
}

/**
 * Runs a sign-in check under the key's limit: refuses with SignInLockedError when the key has had too many
 * failures, otherwise returns the check's result, recording a failure when it is null.
 *
 * The attempt is written before the check, counted with the others under a lock on the key (so concurrent
 * attempts, from any server process, get at most `failures` checks per window), and deleted again after a
 * success (or an error in the check); otherwise it stays as the failure. The slow check (argon2) runs
 * outside that short transaction.
 */
export async function limitedSignIn<T>(
  writer: Writer,
  key: LimitKey,
  run: LimitedSignIn<T>,
): Promise<T | null> {
  const { db } = writer;
  const name = keyOf(key);
  const admitted = await db.transaction(async (tx) => {
    await repo.lockKey(tx, name);
    await repo.forgetOldAttempts(tx, name, SIGN_IN_LIMIT.windowSeconds);
    const earlier = await repo.attemptsWithin(tx, name, SIGN_IN_LIMIT.windowSeconds);
    if (earlier.length >= SIGN_IN_LIMIT.failures) return { earlier, mine: null };
    return { earlier, mine: await repo.recordAttempt(tx, name) };
  });
  const { earlier, mine } = admitted;
  if (!mine) {
    // Free again once all but failures − 1 of the earlier attempts have left the window.
    const freeing = earlier[earlier.length - SIGN_IN_LIMIT.failures];
    const now = earlier[0]?.now ?? new Date();
    throw new SignInLockedError(key, plusWindow(freeing?.at ?? now), now);
  }
  let result: T | null;
  try {
    result = await run.check();
  } catch (error) {
    await repo.deleteAttempt(db, mine.id);
    throw error;
  }
  if (result !== null) {
    if (run.clearOnSuccess) await repo.clearAttempts(db, name);
    else await repo.deleteAttempt(db, mine.id);
    return result;
  }
  const counted = [...earlier, mine];
  if (counted.length === SIGN_IN_LIMIT.failures && run.onLock) {
    const first = counted[0] ?? mine;
    const onLock = run.onLock;
    await audited(writer, (tx, audit) => onLock(tx, audit, plusWindow(first.at)));
  }
  return null;
}
