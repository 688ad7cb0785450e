/**
 * The one result shape of `pnpm bench` (issue 14): every scenario returns a BenchReport; the CLI prints it as
 * a markdown table, or with --json as one JSON object. Figures a scenario does not measure stay null.
 */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** How many samples the percentiles were taken over. */
  count: number;
}

/** A figure to one decimal, as the reports print them (null stays null). */
export function round1(n: number): number;
export function round1(n: number | null): number | null;
export function round1(n: number | null): number | null {
  return n === null ? null : Math.round(n * 10) / 10;
}

export const SCENARIOS = ['burst', 'audience', 'scaleout', 'naive', 'rebuild'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioOptions {
  /** How long the measured phase runs at most (the scenario also stops on its own count bound). */
  seconds: number;
  /** Spectators to connect (scenarios with an audience). */
  spectators: number;
  /** burst: a steady pace of this many marks a second from all tablets together, instead of as fast as acknowledged. */
  rate?: number;
  /** A few seconds and small counts, no thresholds: the CI smoke run that keeps the harness from rotting. */
  smoke: boolean;
}

export interface BenchReport {
  scenario: ScenarioName;
  /** Marks acknowledged per second through the full path (HTTP, token, validation, commit, live view, push). */
  marksPerSecond: number | null;
  /** Durable one-row inserts per second with postgres.js on the same database, measured in the same run. */
  bareInsertPerSecond: number | null;
  /** marksPerSecond / bareInsertPerSecond (or the scenario's own ratio, named in `notes`). */
  ratio: number | null;
  /** Submit → acknowledged, ms. */
  ackMs: Percentiles | null;
  /** A mark's acknowledgement → its update at the last spectator, ms. */
  lastSpectatorMs: Percentiles | null;
  spectators: number;
  /** A bare Socket.IO broadcast at the same audience and message rate: send → last client, ms. */
  bareBroadcastMs: Percentiles | null;
  /** Server RSS growth per connected spectator, KB (and bare Socket.IO's in `notes`). */
  rssPerSpectatorKB: number | null;
  /** Acknowledged marks not stored, and marks stored more than once (both must be 0). */
  lost: number;
  duplicates: number;
  /** The load generator's own CPU use, percent of one core (a saturated generator shows here). */
  generatorCpu: number | null;
  /** Whether the live view equalled a recomputation from Postgres at the end (null: not checked). */
  liveViewMatches: boolean | null;
  /** The machine's 1-minute load average at the start and the end of the run. */
  loadAverage: [number, number];
  /** Anything else the scenario measured, by name (e.g. bareRssPerSpectatorKB, rebuildMs, naiveMarksPerSecond). */
  extra: Record<string, number | string | boolean | null>;
  notes: string[];
}

/** Percentiles of samples (ms); null when there are none. */
export function percentiles(samples: readonly number[]): Percentiles | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0, count: sorted.length };
}

const figure = (n: number | null, digits = 1) => (n === null ? '—' : n.toFixed(digits));
const spread = (p: Percentiles | null) =>
  p === null
    ? '—'
    : `p50 ${figure(p.p50)} · p95 ${figure(p.p95)} · p99 ${figure(p.p99)} · max ${figure(p.max)} (n=${p.count})`;

/** The report as a markdown table (what BENCHMARKS.md quotes). */
export function markdown(report: BenchReport): string {
  const rows: [string, string][] = [
    ['scenario', report.scenario],
    ['marks/s (full path)', figure(report.marksPerSecond)],
    ['bare durable inserts/s', figure(report.bareInsertPerSecond)],
    ['ratio', figure(report.ratio, 2)],
    ['submit → ack, ms', spread(report.ackMs)],
    ['ack → last spectator, ms', spread(report.lastSpectatorMs)],
    ['spectators', String(report.spectators)],
    ['bare broadcast → last client, ms', spread(report.bareBroadcastMs)],
    ['RSS per spectator, KB', figure(report.rssPerSpectatorKB)],
    ['lost / duplicates', `${report.lost} / ${report.duplicates}`],
    ['live view = recomputation', report.liveViewMatches === null ? '—' : String(report.liveViewMatches)],
    ['generator CPU, % of a core', figure(report.generatorCpu)],
    [
      'load average (start → end)',
      `${figure(report.loadAverage[0], 2)} → ${figure(report.loadAverage[1], 2)}`,
    ],
    ...Object.entries(report.extra).map(([k, v]): [string, string] => [k, v === null ? '—' : String(v)]),
  ];
  const lines = ['| figure | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  return [...lines, ...report.notes.map((n) => `- ${n}`)].join('\n');
}
