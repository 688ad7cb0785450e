import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from '../common/api/http';

/** What a judge reads when something failed: the server's refusal (already in the judge's language), or the network. */
export function errorText(error: unknown, t: TFunction<'judge'>): string {
  if (error instanceof NetworkError) return t('error.network');
  if (error instanceof ApiError && error.code === 'sign_in_locked' && error.retryAfter !== null) {
    return `${error.message} ${t('pin.locked', { minutes: Math.ceil(error.retryAfter / 60) })}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * When a read may be answered from what the tablet kept: no network, or a token that is over (the judge is
 * asked for the PIN meanwhile, and the screen behind the question stays as it was).
 */
export const keptWillDo = (error: unknown) =>
  error instanceof NetworkError || (error instanceof ApiError && error.status === 401);
