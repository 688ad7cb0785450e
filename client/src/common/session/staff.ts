import type { AccountSummary } from '@jiangxin/shared';
import { ApiError } from '../api/http';
import { SessionStore } from './session';

/** What the consoles (chief judge's, organizer's) keep of the staff member signed in: one sign-in for both. */
export interface StaffData {
  account: AccountSummary;
  username: string;
}

export const staffSession = new SessionStore<StaffData>('jiangxin.staff');

/**
 * Runs an API call with the staff token; a 401 (token expired, account gone) ends the session, which sends
 * the console back to sign-in.
 */
export async function asStaff<T>(call: (token: string) => Promise<T>): Promise<T> {
  const token = staffSession.get()?.token;
  if (!token) throw new ApiError(401, 'unauthenticated', 'not signed in');
  try {
    return await call(token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) staffSession.clear();
    throw error;
  }
}
