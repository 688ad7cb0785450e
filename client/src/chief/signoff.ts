import type { SignOffBlockers, SignOffRequest } from '@jiangxin/shared';

/** What the round is waiting for, counted per kind (only blocking flags hold up sign-off). */
export function blockerCounts(b: SignOffBlockers) {
  return {
    missing: b.missing.length,
    unconfirmedPaper: b.unconfirmedPaper.length,
    flagged: b.flagged.filter((f) => f.blocking).length,
    openRemarks: b.openRemarks.length,
  };
}

export function blockerTotal(b: SignOffBlockers): number {
  return Object.values(blockerCounts(b)).reduce((a, n) => a + n, 0);
}

/**
 * The sign-off request the form may send, or null while it may not: with anything blocking, only forced
 * and with a reason.
 */
export function signOffBody(
  blockers: SignOffBlockers,
  form: { confirmed: boolean; force: boolean; reason: string },
): SignOffRequest | null {
  if (!form.confirmed) return null;
  const reason = form.reason.trim();
  if (blockerTotal(blockers) === 0) return reason ? { confirm: true, reason } : { confirm: true };
  if (!form.force || reason === '') return null;
  return { confirm: true, force: true, reason };
}
