import { ApiError, NetworkError } from '../api/http';

/** What the sign-in form says when signing in failed. */
export type SignInProblem =
  | { key: 'signIn.wrong' }
  | { key: 'signIn.locked'; minutes: number }
  | { key: 'signIn.offline' }
  | { key: 'signIn.failed'; message: string };

/** A readable reason for a failed sign-in: a wrong password, a lock-out (and for how long), no network. */
export function signInProblem(error: unknown): SignInProblem {
  if (error instanceof NetworkError) return { key: 'signIn.offline' };
  if (error instanceof ApiError) {
    if (error.code === 'sign_in_locked' || error.status === 429)
      return { key: 'signIn.locked', minutes: Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60)) };
    if (error.status === 401 || error.code === 'sign_in_failed') return { key: 'signIn.wrong' };
  }
  return { key: 'signIn.failed', message: error instanceof Error ? error.message : String(error) };
}
