import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@jiangxin/server/start';
import { csvRow, type EventJson, parseCsv } from '@jiangxin/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialLines, officialRounds, parisOfficial, roundLines } from './official';
import { type RehearsalReport, runRehearse } from './rehearse';
import { runResults } from './results';

const fixtures = join(import.meta.dirname, '../../tests/fixtures');
const marksFile = join(fixtures, 'paris2024-men-10m-platform-final.marks.csv');
const constructed = join(fixtures, 'constructed-3rounds');
const constructedScheme = `${constructed}.scheme.json`;

const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Runs a tool as its command line does, capturing what it writes. */
async function run(tool: typeof runRehearse | typeof runResults, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await tool(
    argv,
    (s) => {
      stdout += s;
    },
    (s) => {
      stderr += s;
    },
  );
  return { code, stdout, stderr };
}

type Figures = Omit<RehearsalReport, 'events'>;

/** `pnpm rehearse` and `pnpm results` on the same files: the rehearsal's stdout, its figures, and what results printed. */
async function both(schemes: string[], marks: string, server: string[] = []) {
  const rehearsal = await run(runRehearse, [...schemes, '--marks', marks, ...server]);
  const results = await run(runResults, [...schemes, '--marks', marks, '--format', 'json']);
  expect([results.code, results.stderr]).toEqual([0, '']);
  return { rehearsal, results: results.stdout };
}

/** A copy of a marks file with rows changed (or dropped: null), written to a file of its own. */
function rewritten(from: string, change: (row: string[]) => string[] | null): string {
  const [header, ...rows] = parseCsv(readFileSync(from, 'utf8')).records.map((r) => r.fields);
  const path = join(mkdtempSync(join(tmpdir(), 'rehearse-marks-')), 'marks.csv');
  const kept = rows.flatMap((r) => {
    const row = change(r);
    return row ? [row] : [];
  });
  writeFileSync(path, `${[header ?? [], ...kept].map(csvRow).join('\n')}\n`);
  return path;
}

/**
 * The constructed file judged by one panel of seven throughout: each competitor's judges in a round renumbered
 * J1…J7 in label order (the file's panels differ only in who sits, not in the marks).
 */
function onePanel(): string {
  const [, ...rows] = parseCsv(readFileSync(`${constructed}.marks.csv`, 'utf8')).records.map((r) => r.fields);
  const judgesOf = new Map<string, string[]>();
  for (const [, round, competitor, , judge = ''] of rows) {
    const key = `${round}|${competitor}`;
    const list = judgesOf.get(key) ?? [];
    if (!list.includes(judge)) list.push(judge);
    judgesOf.set(key, list);
  }
  return rewritten(`${constructed}.marks.csv`, (row) => {
    const [event, round, competitor, item, judge = '', ...rest] = row;
    const seat = (judgesOf.get(`${round}|${competitor}`) ?? []).sort(byNumber).indexOf(judge) + 1;
    return [event ?? '', round ?? '', competitor ?? '', item ?? '', `J${seat}`, ...rest];
  });
}

/** A server of the test's own on a throwaway Postgres database (created and dropped with the client tools). */
let postgres: { server: RunningServer; flags: string[]; drop(): void };

beforeAll(async () => {
  const admin = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const name = `jx_rehearse_${randomBytes(6).toString('hex')}`;
  const connection = ['-h', admin.hostname, '-p', admin.port || '5432', '-U', admin.username || 'postgres'];
  const made = spawnSync('createdb', [...connection, name], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`createdb ${name} failed: ${made.stderr}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const credentials = { username: 'rehearsal', password: randomBytes(12).toString('hex') };
  const server = await startServer({
    dataDir: null,
    databaseUrl: url.toString(),
    organizer: { ...credentials, displayName: '彩排组委会' },
  });
  postgres = {
    server,
    flags: ['--server', server.url, '--username', credentials.username, '--password', credentials.password],
    drop: () => {
      spawnSync('dropdb', [...connection, '--force', name]);
    },
  };
}, 60_000);

afterAll(async () => {
  await postgres?.server.close();
  postgres?.drop();
});

describe('pnpm rehearse', () => {
  it('runs the Paris final through the real system: stdout is byte for byte what `pnpm results` prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-export-'));
    // Without --server: the embedded default of its own.
    const { rehearsal, results } = await both(['--scheme', 'diving'], marksFile, [
      '--spectators',
      '5',
      '--export',
      dir,
    ]);
    expect(rehearsal.code).toBe(0);
    expect(rehearsal.stdout).toBe(results);
    const [event] = JSON.parse(rehearsal.stdout).events as EventJson[];
    expect(officialLines(event?.standings ?? [])).toEqual(parisOfficial());
    const figures = JSON.parse(rehearsal.stderr) as Figures;
    expect([
      figures.marksSent,
      figures.marksAcknowledged,
      figures.duplicates,
      figures.marksLost,
      figures.spectatorsBehind,
      // One process sends in order: every delta applies on top of what each spectator holds.
      figures.messagesLost,
    ]).toEqual([504, 504, 0, 0, 0, 0]);
    expect(figures.standingsDiffer).toEqual([]);
    expect(figures.rounds).toEqual([
      {
        event: 'M10mPF',
        round: 'Final',
        competitors: 12,
        panels: [{ seats: ['J1', 'J2', 'J3', 'J4', 'J5', 'J6', 'J7'], competitors: 12, attempts: [] }],
      },
    ]);
    // After joining, spectators get deltas; whole snapshots only when the round's status changes (sign-off,
    // decryption, publication): at most four per spectator, however often the loaded server recomputes
    // (decision 025). With seven judges marking every diver at once most lines change between two pushes,
    // yet a delta stays smaller than the standings it updates.
    expect(figures.updates.snapshots).toBeLessThanOrEqual(5 * 4);
    expect(figures.updates.deltas).toBeGreaterThan(figures.updates.snapshots * 2);
    expect(figures.updates.deltaBytes.p50).toBeLessThan(figures.updates.snapshotBytes.p50);
    expect(figures.latency.submitToAcknowledged.p50).toBeGreaterThan(0);
    expect(figures.latency.submitToLastSpectator.p50).toBeGreaterThanOrEqual(
      figures.latency.submitToAcknowledged.p50 * 0.5,
    );

    // --export: the official files, written through the export API after publication; the marks file and
    // the scheme beside it recompute, with `pnpm results`, what the rehearsal printed.
    expect(figures.exports?.files).toEqual([
      'results.xlsx',
      'results.pdf',
      'results.csv',
      'M10mPF.marks.csv',
      'M10mPF.scheme.json',
    ]);
    expect(figures.exports?.auditPosition).toMatch(/^\d+:[0-9a-f]{64}$/);
    for (const file of figures.exports?.files ?? []) expect(existsSync(join(dir, file))).toBe(true);
    const recomputed = await run(runResults, [
      '--scheme',
      join(dir, 'M10mPF.scheme.json'),
      '--marks',
      join(dir, 'M10mPF.marks.csv'),
      '--format',
      'json',
    ]);
    expect([recomputed.code, recomputed.stdout]).toEqual([0, results]);
  }, 180_000);

  it('runs three rounds in order on Postgres (advancement, a shorter semifinal, a withdrawal), printing what `pnpm results` prints', async () => {
    // A second event of its own scheme: two divers of the semifinal alone, where the scheme says six dives and
    // the file has five.
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-scheme-'));
    const sixDives = JSON.parse(readFileSync(constructedScheme, 'utf8'));
    delete sixDives.rounds[1].attempts;
    writeFileSync(join(dir, 'six.json'), JSON.stringify(sixDives));
    const semiOnly = readFileSync(
      rewritten(onePanel(), (row) =>
        row[1] === 'Semi' && ['Diver 04', 'Diver 10'].includes(row[2] ?? '') ? row.with(0, 'W3mS') : null,
      ),
      'utf8',
    );
    const marks = join(dir, 'marks.csv');
    writeFileSync(marks, `${readFileSync(onePanel(), 'utf8')}${semiOnly.slice(semiOnly.indexOf('\n') + 1)}`);
    const schemes = ['--scheme', constructedScheme, '--scheme', `W3mS=${join(dir, 'six.json')}`];
    const { rehearsal, results } = await both(schemes, marks, postgres.flags);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    expect(rehearsal.stdout).toBe(results);
    const figures = JSON.parse(rehearsal.stderr) as Figures;
    const seven = ['J1', 'J2', 'J3', 'J4', 'J5', 'J6', 'J7'];
    expect(figures.rounds).toEqual(
      (
        [
          ['M3mS', 'Prelim', 12],
          ['M3mS', 'Semi', 8],
          ['M3mS', 'Final', 4],
          ['W3mS', 'Semi', 2],
        ] as const
      ).map(([event, round, n]) => ({
        event,
        round,
        competitors: n,
        panels: [{ seats: seven, competitors: n, attempts: [] }],
      })),
    );
    // 11 divers × 6 dives + one withdrawn after 2 in the preliminary, 8 × 5 in the semifinal, 4 × 6 in the
    // final; and the second event's 2 × 5.
    expect([figures.marksSent, figures.marksLost, figures.standingsDiffer]).toEqual([
      (11 * 6 + 2 + 8 * 5 + 4 * 6 + 2 * 5) * 7,
      0,
      [],
    ]);
    const [event, second] = JSON.parse(rehearsal.stdout).events as EventJson[];
    // Five dives where the scheme counts six: the server took the lists of five, the engine flags the sixth.
    expect(
      second?.standings.map((s) =>
        s.components[0]?.attempts?.map((d) => d.flags.some((f) => f.code === 'notPerformed')),
      ),
    ).toEqual(Array(2).fill([false, false, false, false, false, true]));
    // Everyone, each with the rounds they reached: four finalists, four more semifinalists, four out after the preliminary.
    expect(event?.standings.map((s) => [s.rank, s.round, s.rounds.map((r) => r.round)])).toEqual([
      ...[1, 2, 3, 4].map((rank) => [rank, 'Final', ['Prelim', 'Semi', 'Final']]),
      ...[5, 6, 7, 8].map((rank) => [rank, 'Semi', ['Prelim', 'Semi']]),
      ...[9, 10, 11, 12].map((rank) => [rank, 'Prelim', ['Prelim']]),
    ]);
    const diver07 = event?.standings.find((s) => s.competitor === 'Diver 07');
    const dives = diver07?.components[0]?.attempts ?? [];
    // Withdrawn after two dives: the server took the list of two; the engine flags the other four.
    expect(dives.map((d) => d.flags.some((f) => f.code === 'notPerformed'))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    // The semifinal has its own five dives; the final adds the semifinal.
    const finalist = event?.standings[0];
    expect(finalist?.components[0]?.attempts).toHaveLength(6);
    expect(finalist?.carried.map((c) => c.round)).toEqual(['Semi']);
    const semifinalist = event?.standings[4];
    expect(semifinalist?.components[0]?.attempts).toHaveLength(5);
  }, 480_000);

  it('stops when the file has in a round a competitor the engine did not advance, naming who differs', async () => {
    // Diver 06 is out after the preliminary; the file puts them in the semifinal in place of Diver 12.
    const marks = rewritten(onePanel(), (row) =>
      row[1] === 'Semi' && row[2] === 'Diver 12' ? row.with(2, 'Diver 06') : row,
    );
    const rehearsal = await run(runRehearse, [
      '--scheme',
      constructedScheme,
      '--marks',
      marks,
      ...postgres.flags,
    ]);
    expect([rehearsal.code, rehearsal.stdout]).toEqual([2, '']);
    expect(rehearsal.stderr).toContain(
      "M3mS: the marks file's round Semi is not who the engine advances from Prelim (the top 8); in Semi in the file but not advanced: Diver 06; advanced but not in Semi in the file: Diver 12",
    );
  }, 180_000);

  it.each([
    {
      name: 'fina2021-world-cup-m3m',
      scheme: 'diving',
      marks: 3528,
      // Panel A judged dives 1, 2 and 5 of the preliminary, panel B dives 3, 4 and 6; the semifinal's split 1–3 / 4–6.
      prelim: [
        ['J1 J2 J3 J4 J5 J6 J7', 54, [1, 2, 5]],
        ['J8 J9 J10 J11 J12 J13 J14', 54, [3, 4, 6]],
      ],
    },
    {
      name: 'fina2021-world-cup-w3m',
      scheme: join(fixtures, 'fina2021-world-cup-w3m.scheme.json'),
      marks: 2732,
      // The referee (J25) marks the deduction of one dive: a panel of one, for that diver's dive 2.
      prelim: [
        ['J6 J11 J16 J20 J21 J23 J24', 48, [1, 2, 5]],
        ['J25', 1, [2]],
        ['J8 J9 J13 J14 J18 J19 J26', 48, [3, 4]],
      ],
    },
  ])(
    'runs every round of the real $name through the live path, panels taking turns by dive, and ends on every official standing',
    async ({ name, scheme, marks, prelim }) => {
      const file = join(fixtures, `${name}.marks.csv`);
      const { rehearsal, results } = await both(['--scheme', scheme], file, postgres.flags);
      expect(rehearsal.code, rehearsal.stderr).toBe(0);
      expect(rehearsal.stdout).toBe(results);
      const figures = JSON.parse(rehearsal.stderr) as Figures;
      expect([figures.marksSent, figures.marksAcknowledged, figures.marksLost]).toEqual([marks, marks, 0]);
      expect(figures.standingsDiffer).toEqual([]);
      const seated = figures.rounds.find((r) => r.round === 'Prelim')?.panels;
      expect(seated?.map((p) => [p.seats.join(' '), p.competitors, p.attempts])).toEqual(prelim);
      const [event] = JSON.parse(rehearsal.stdout).events as EventJson[];
      expect(roundLines(event as EventJson)).toEqual(officialRounds(name));
    },
    480_000,
  );

  it('seats judges whose labels are not seat names (E1 … E14) and prints their labels, as `pnpm results` does', async () => {
    const marks = rewritten(`${constructed}.marks.csv`, (row) =>
      row.map((field, i) => (i === 4 ? field.replace(/^J/, 'E') : field)),
    );
    const { rehearsal, results } = await both(['--scheme', constructedScheme], marks, postgres.flags);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    expect(rehearsal.stdout).toBe(results);
    expect(results).toContain('"judge": "E14"');
    expect(JSON.parse(rehearsal.stderr).rounds[0].panels[1].seats).toEqual(
      [8, 9, 10, 11, 12, 13, 14].map((n) => `E${n}`),
    );
  }, 480_000);

  it('seats two panels alternating from a pool of fourteen, a judge on different panels in two rounds: stdout is what `pnpm results` prints', async () => {
    const marks = `${constructed}.marks.csv`;
    const { rehearsal, results } = await both(['--scheme', constructedScheme], marks, postgres.flags);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    expect(rehearsal.stdout).toBe(results);
    const figures = JSON.parse(rehearsal.stderr) as Figures;
    const seats = (...n: number[]) => n.map((x) => `J${x}`);
    expect(figures.rounds).toEqual([
      {
        event: 'M3mS',
        round: 'Prelim',
        competitors: 12,
        panels: [
          { seats: seats(1, 2, 3, 4, 5, 6, 7), competitors: 6, attempts: [] },
          { seats: seats(8, 9, 10, 11, 12, 13, 14), competitors: 6, attempts: [] },
        ],
      },
      {
        event: 'M3mS',
        round: 'Semi',
        competitors: 8,
        panels: [
          { seats: seats(1, 2, 3, 4, 8, 9, 10), competitors: 4, attempts: [] },
          { seats: seats(5, 6, 7, 11, 12, 13, 14), competitors: 4, attempts: [] },
        ],
      },
      {
        event: 'M3mS',
        round: 'Final',
        competitors: 4,
        panels: [{ seats: seats(3, 5, 6, 9, 10, 12, 14), competitors: 4, attempts: [] }],
      },
    ]);
    expect([figures.marksLost, figures.standingsDiffer]).toEqual([0, []]);
    // The marks by seat as the file labels them: J8 sat with J9…J14 in the preliminary, with J1…J4 in the semifinal.
    const [event] = JSON.parse(rehearsal.stdout).events as EventJson[];
    const panelsIn = (round: string) =>
      (event?.standings ?? [])
        .filter((s) => s.round === round)
        .map((s) => {
          const award = s.components[0]?.attempts?.[0]?.aspects[0];
          return [...(award?.used ?? []), ...(award?.dropped ?? [])].map((m) => m.judge).sort(byNumber);
        });
    expect(panelsIn('Prelim').filter((p) => p.includes('J8'))).toEqual(
      Array(2).fill(seats(8, 9, 10, 11, 12, 13, 14)),
    );
    expect(panelsIn('Semi').filter((p) => p.includes('J8'))).toEqual(
      Array(3).fill(seats(1, 2, 3, 4, 8, 9, 10)),
    );
  }, 480_000);
});
