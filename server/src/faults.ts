/**
 * Fault injection for the fault suite (tests/faults) only. JIANGXIN_FAULT=<point>:<n> (read by env.ts, armed
 * by server.ts) makes the process SIGKILL itself at the n-th pass of <point>, as a power cut would; unset —
 * always, outside that suite — every point is a no-op.
 *
 * - before-commit: an audited transaction has done its work and is about to commit (it never will);
 * - after-commit: it committed, and its change is not yet announced to the live view;
 * - after-live: a judge's mark is stored and the live view updated, its HTTP reply not yet sent.
 */
export const FAULT_POINTS = ['before-commit', 'after-commit', 'after-live'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

let armed: { point: FaultPoint; at: number; passes: number } | null = null;

export function armFault(fault: { point: FaultPoint; at: number } | undefined): void {
  armed = fault ? { ...fault, passes: 0 } : null;
}

/** Kills the process at the armed pass of `point`; `before` runs first, and only when `point` is armed. */
export async function faultPoint(point: FaultPoint, before?: () => Promise<void>): Promise<void> {
  if (armed?.point !== point) return;
  await before?.();
  armed.passes += 1;
  if (armed.passes === armed.at) process.kill(process.pid, 'SIGKILL');
}
