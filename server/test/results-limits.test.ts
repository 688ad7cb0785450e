import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, startServerProcess } from '../../tests/e2e/support/server';
import { type BuildOptions, buildApp } from '../src/app';
import { MARKS_FILE_LIMITS } from '../src/modules/results/marks-file';
import { openTestDatabase } from './databases';
import { listen } from './realtime-support';
import { type Seeded, seedCompetition } from './support';

/**
 * Issue 15, #1: `POST /api/results` (the public verify tool) could hold the only event loop for seconds
 * (judges' marks waited behind it) and answer 2 MB of bad rows with 42 MB of errors. These run a real
 * listening server on Postgres and send over real HTTP.
 */

const HEADER = 'event,round,competitor,item,judge,mark,difficulty';

/** A valid diving marks file of `divers` × 6 dives × 7 judges. */
function divingFile(divers: number): string {
  const lines = [HEADER];
  for (let c = 0; c < divers; c++)
    for (let dive = 1; dive <= 6; dive++)
      for (let j = 1; j <= 7; j++)
        lines.push(`E,Final,C${c},dive-${dive},J${j},${((c * 7 + dive * 3 + j) % 21) / 2},3.${dive}`);
  return `${lines.join('\n')}\n`;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Posts JSON over a real connection; `sent` resolves once the whole body is written to the socket, `answer`
 * with the reply.
 */
function post(origin: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  let flushed: () => void = () => {};
  const sent = new Promise<void>((resolve) => {
    flushed = resolve;
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request(
      `${origin}${path}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'accept-language': 'en',
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload, flushed);
  });
  return { sent, answer };
}

const errorOf = (a: Answer) =>
  (JSON.parse(a.body) as { error: { code: string; message: string; lines?: unknown[]; errorCount?: number } })
    .error;

/** A listening app on a fresh Postgres database with a seeded competition. */
function served(options: BuildOptions = {}) {
  const server = {} as { app: FastifyInstance; origin: string; seed: Seeded };
  beforeAll(async () => {
    server.app = await buildApp({
      database: await openTestDatabase('postgres'),
      clientDist: '/nonexistent',
      ...options,
    });
    server.seed = await seedCompetition(server.app);
    server.origin = await listen(server.app);
  });
  afterAll(() => server.app.close());
  return server;
}

describe('the verify tool beside live marking', () => {
  const server = served();
  const markOf = (judge: number) =>
    post(
      server.origin,
      `/api/competitions/${server.seed.competition.id}/rounds/${server.seed.round.id}/marks`,
      { id: randomUUID(), workstation: 'A01', item: 'assemblyQuality', value: '30' },
      { authorization: `Bearer ${server.seed.tokens.judge(judge)}` },
    ).answer;

  it('answers a judge’s mark while results files of the largest size allowed are still being computed', async () => {
    expect((await markOf(1)).status).toBe(201);
    // Just under the limit of marks: 476 divers × 42 marks.
    const file = divingFile(476);
    expect(file.split('\n').length - 2).toBeLessThanOrEqual(MARKS_FILE_LIMITS.marks);
    let pending = 0;
    const jobs = Array.from({ length: 3 }, () => {
      const job = post(server.origin, '/api/results', { scheme: 'diving', marksCsv: file });
      pending++;
      return {
        sent: job.sent,
        answer: job.answer.then((a) => {
          pending--;
          return a;
        }),
      };
    });
    await Promise.all(jobs.map((j) => j.sent));

    const mark = await markOf(2);
    // The mark came back while the files were still being scored: its turn did not wait for theirs.
    const stillComputing = pending;
    expect(mark.status).toBe(201);
    expect(stillComputing).toBeGreaterThan(0);

    for (const answer of await Promise.all(jobs.map((j) => j.answer))) {
      expect(answer.status).toBe(200);
      const { events } = JSON.parse(answer.body) as { events: { standings: unknown[] }[] };
      expect(events[0]?.standings).toHaveLength(476);
    }
  }, 120_000);

  it('refuses a body over the limit with a 413 naming the limit in marks and bytes', async () => {
    const big = `${HEADER}\n${'E,Final,C1,dive-1,J1,8,3.2\n'.repeat(Math.ceil(MARKS_FILE_LIMITS.bytes / 27))}`;
    const { answer } = post(server.origin, '/api/results', { scheme: 'diving', marksCsv: big });
    const refused = await answer;
    expect(refused.status).toBe(413);
    expect(errorOf(refused)).toEqual({
      code: 'body_too_large',
      message:
        'The request body is too large: the limit is 1.5 MB. The limit is 20,000 marks: verify the file one event at a time.',
    });
  });

  it('refuses a file of more rows than the limit of marks with a 413, before any work', async () => {
    const rows = `${HEADER}\n${'x\n'.repeat(MARKS_FILE_LIMITS.marks + 1)}`;
    const refused = await post(server.origin, '/api/results', { scheme: 'diving', marksCsv: rows }).answer;
    expect(refused.status).toBe(413);
    expect(errorOf(refused)).toEqual({
      code: 'marks_file_too_large',
      message: `field "marksCsv": the marks file has 20,002 lines; the limit is 20,000 marks (an event has a few thousand): verify it one event at a time`,
    });
  });

  it('lists the first 100 bad lines of a file of bad rows and counts the rest', async () => {
    const rows = `${HEADER}\n${'x\n'.repeat(MARKS_FILE_LIMITS.marks)}`;
    const refused = await post(server.origin, '/api/results', { scheme: 'diving', marksCsv: rows }).answer;
    expect(refused.status).toBe(400);
    const error = errorOf(refused);
    expect(error.code).toBe('marks_invalid');
    expect(error.errorCount).toBe(20_000);
    expect(error.lines).toHaveLength(100);
    expect(error.lines?.[0]).toEqual({ line: 2, message: 'has 1 fields, the header has 7' });
    expect(error.message).toMatch(/^field "marksCsv": the marks file has 20000 errors \(lines 2, 3, .*, …\)/);
    // The answer stays a fraction of the file's size, whatever the number of bad rows.
    expect(refused.body.length).toBeLessThan(rows.length / 2);
  });

  it('says nothing of marks files when an ordinary route’s body is too large', async () => {
    const refused = await post(server.origin, '/api/auth/login', {
      username: 'x'.repeat(1024 * 1024),
      password: 'x',
    }).answer;
    expect(refused.status).toBe(413);
    expect(errorOf(refused)).toEqual({
      code: 'body_too_large',
      message: 'The request body is too large: the limit is 1 MB.',
    });
  });
});

describe('the verify tool’s queue', () => {
  const server = served({ resultsLimits: { workers: 1, queue: 1 } });

  it('answers 503 results_busy with Retry-After when the worker is busy and the queue full', async () => {
    const file = divingFile(200);
    const answers = await Promise.all(
      Array.from(
        { length: 3 },
        () => post(server.origin, '/api/results', { scheme: 'diving', marksCsv: file }).answer,
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
    const busy = answers.find((a) => a.status === 503) as Answer;
    expect(busy.headers['retry-after']).toBe('5');
    expect(errorOf(busy)).toEqual({
      code: 'results_busy',
      message: 'The results tool is busy: try again in 5 seconds',
    });
  }, 60_000);
});

describe('the verify tool’s time budget', () => {
  const server = served({ resultsLimits: { timeBudgetMs: 1 } });

  it('stops a job over its budget (its worker terminated) and says so; the next job gets a new worker', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await post(server.origin, '/api/results', { scheme: 'diving', marksCsv: divingFile(12) })
        .answer;
      expect(answer.status).toBe(503);
      expect(errorOf(answer)).toEqual({
        code: 'results_timeout',
        message:
          'Verifying took longer than 0.001 s and was stopped; nothing was computed. Split the file by event and try again',
      });
    }
  }, 60_000);
});

/** The server as `pnpm start` runs it: its worker thread must load there too, not only under vitest. */
describe('the verify tool in the started server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jx-results-'));
  let started: ServerProcess | undefined;
  afterAll(async () => {
    await started?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('computes the demo final’s results on its worker', async () => {
    started = await startServerProcess(dataDir, await freePort());
    const marksCsv = readFileSync(
      fileURLToPath(
        new URL('../../tests/fixtures/paris2024-men-10m-platform-final.marks.csv', import.meta.url),
      ),
      'utf8',
    );
    const answer = await post(started.url, '/api/results', { scheme: 'diving', marksCsv }).answer;
    expect(answer.status).toBe(200);
    const { events } = JSON.parse(answer.body) as { events: { standings: { total: string }[] }[] };
    expect(events[0]?.standings[0]?.total).toBe('547.50');
  }, 120_000);
});
