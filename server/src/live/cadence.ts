import { performance } from 'node:perf_hooks';
import { PUSH_INTERVAL_MS } from './pace';

/** How often a round may be recomputed now, ms. */
export interface Cadence {
  now(): number;
}

export const CADENCE = {
  /** The push interval (realtime/push.ts): screens never get a round more often. */
  minMs: PUSH_INTERVAL_MS,
  /** Every change on screens within about half a second, however loaded the server. */
  maxMs: 500,
  /** The share of the event loop the server aims to stay under while marks are coming in. */
  target: 0.7,
  sampleMs: 1000,
};

/**
 * The next interval from the event loop's utilisation over the last sample (decision 025): further apart while
 * the server is busier than the target, back to the push interval as it calms down, so that under a burst
 * the judges' marks are acknowledged first and screens get the same changes in fewer, larger steps.
 */
export function nextInterval(current: number, utilisation: number): number {
  const next = current * (utilisation / CADENCE.target) ** 2;
  return Math.round(Math.min(CADENCE.maxMs, Math.max(CADENCE.minMs, next)));
}

/** The cadence of this process, sampled at most once per `sampleMs` when a round is due. */
export function loadCadence(): Cadence {
  let current: number = CADENCE.minMs;
  let sampled = performance.eventLoopUtilization();
  let at = Date.now();
  return {
    now() {
      const now = Date.now();
      if (now - at < CADENCE.sampleMs) return current;
      const used = performance.eventLoopUtilization(sampled);
      sampled = performance.eventLoopUtilization();
      at = now;
      current = nextInterval(current, used.utilization);
      return current;
    },
  };
}
