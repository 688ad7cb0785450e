import type { Executor } from '../../db/client';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { type Audit, audited, type Writer } from '../audit/service';

/** What every setup service shares: what it is created with, who did it (for the audit log), and answers. */

export interface SetupDeps {
  writer: Writer;
  /** Keyed hash of a value that must be matchable but never stored (ID numbers, workstation codes). */
  hmac: (text: string) => string;
}

/** 401 for a route outside any competition (the same answer as requireRoles gives). */
export const unauthenticatedError = () =>
  new AppError(
    401,
    'unauthenticated',
    localized(
      '请先登录（令牌缺失、无效、已过期或设备已被撤销）',
      'sign in first (the token is missing, invalid, expired, or its device was revoked)',
    ),
  );

/** The audit log's actor for a principal. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'account') return `account:${principal.accountId}`;
  if ('deviceId' in principal) return `device:${principal.deviceId}`;
  return 'system';
}

export const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();
export const isoNow = (value: Date | string): string => new Date(value).toISOString();

/** Records an audit entry of the principal's change in the competition. */
export type Recorder = (entry: Omit<Parameters<Audit>[1], 'actor'>) => ReturnType<Audit>;

/** `audited` for a principal's change in one competition: every entry is theirs, in that competition. */
export function changeBy<T>(
  writer: Writer,
  principal: Principal,
  competitionId: string,
  work: (tx: Executor, record: Recorder) => Promise<T>,
): Promise<T> {
  const actor = actorOf(principal);
  return audited(writer, (tx, audit) => work(tx, (entry) => audit(competitionId, { ...entry, actor })));
}

/** A refusal that is recorded in the audit log: returned from the transaction, thrown after its commit. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

export async function settled<T>(outcome: Promise<Outcome<T>>): Promise<T> {
  const settled = await outcome;
  if (!settled.ok) throw settled.error;
  return settled.value;
}
