import type { Database } from '../../db/client';
import { AppError } from '../../plugins/errors';
import * as repo from './repository';

/**
 * Pairing attempts per address: wrong or expired codes are counted (in sign_in_failures, under
 * `pairing-address:<address>`, so every server process sees the same count); a success is not, so a venue
 * pairing its tablets behind one address is never held up by its own pairings.
 */
export const PAIRING_LIMIT = { failures: 30, windowSeconds: 10 * 60 } as const;

/** A 429 with when to try again (sent as Retry-After by the routes). */
export class PairingThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    const { failures, windowSeconds } = PAIRING_LIMIT;
    super(
      429,
      'pairing_throttled',
      {
        'zh-CN': `此网络地址 ${windowSeconds / 60} 分钟内配对码已输错 ${failures} 次：请在 ${minutes} 分钟后重试`,
        en: `${failures} wrong pairing codes from this address within ${windowSeconds / 60} minutes: try again in ${minutes} minute${minutes > 1 ? 's' : ''}`,
      },
      { retryAfterSeconds },
    );
  }
}

/**
 * Runs `pair` unless the address has had too many failures; an attempt is recorded first, under the key's
 * lock (so parallel guesses from any process count), and kept only when `pair` refuses the code (401).
 */
export async function limitedPairing<T>(db: Database, address: string, pair: () => Promise<T>): Promise<T> {
  const key = `pairing-address:${address}`;
  const { windowSeconds, failures } = PAIRING_LIMIT;
  const mine = await db.transaction(async (tx) => {
    await repo.lockKey(tx, key);
    await repo.forgetOldAttempts(tx, key, windowSeconds);
    const earlier = await repo.attemptsWithin(tx, key, windowSeconds);
    const freeing = earlier[earlier.length - failures];
    if (freeing) {
      const leavesAt = freeing.at.getTime() + windowSeconds * 1000;
      throw new PairingThrottledError(Math.max(1, Math.ceil((leavesAt - freeing.now.getTime()) / 1000)));
    }
    return repo.recordAttempt(tx, key);
  });
  try {
    const paired = await pair();
    await repo.deleteAttempts(db, [mine.id]);
    return paired;
  } catch (error) {
    if (!(error instanceof AppError && error.statusCode === 401)) await repo.deleteAttempts(db, [mine.id]);
    throw error;
  }
}
