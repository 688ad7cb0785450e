/**
 * pnpm bench:live — how long from a judge's submit until the round's live state (Redis) has the new
 * standings: the part of issue 4's "within a fraction of a second" that the server controls before any push.
 *
 * One server process on a throwaway Postgres database and the local Redis (keys under a prefix of its own),
 * seeded like the tests (4 workstations, a 5-judge panel). Runs: 100 marks one after another, then 5 judges
 * marking at once (5 × 60). For every mark it records submit → response and submit → the first live-store
 * entry computed from a state that includes the mark (an audit position at or after the one its commit reached). Bounded, loopback only; cleans up after itself.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, max } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { openDatabase } from '../src/db/client';
import { auditLog } from '../src/db/schema';
import { createTestDatabase, testRedisUrl } from '../test/databases';
import { bearer, type Seeded, seedCompetition } from '../test/support';

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function summary(label: string, samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  return `${label.padEnd(34)} p50 ${f(percentile(sorted, 0.5))} ms  p95 ${f(percentile(sorted, 0.95))} ms  p99 ${f(percentile(sorted, 0.99))} ms  max ${f(sorted.at(-1) ?? 0)} ms`;
}

const auditPosition = async (app: FastifyInstance, competitionId: string) => {
  const [row] = await app.db
    .select({ seq: max(auditLog.seq) })
    .from(auditLog)
    .where(eq(auditLog.competitionId, competitionId));
  return row?.seq ?? 0;
};

async function markAndWait(app: FastifyInstance, seed: Seeded, judge: number, i: number) {
  const start = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
    headers: bearer(seed.tokens.judge(judge)),
    payload: {
      id: randomUUID(),
      workstation: `A0${(i % 4) + 1}`,
      item: 'assemblyQuality',
      value: String((i * 7 + judge) % 51),
    },
  });
  const acknowledged = performance.now() - start;
  if (res.statusCode !== 201) throw new Error(`mark refused: ${res.statusCode} ${res.body}`);
  // The audit position after the answer includes the mark: wait for a live entry computed at or after it.
  const committed = await auditPosition(app, seed.competition.id);
  for (;;) {
    const live = await app.live.store.get(seed.round.id);
    if (live && live.sourceVersion >= committed) break;
    if (performance.now() - start > 5000) throw new Error('the live state did not follow within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return { acknowledged, live: performance.now() - start };
}

const database = await createTestDatabase();
const app = await buildApp({
  database: await openDatabase({ url: database.url }),
  secret: randomBytes(32).toString('hex'),
  clientDist: '/nonexistent',
  redis: { url: testRedisUrl, prefix: `jx:bench:${randomBytes(4).toString('hex')}:` },
});
try {
  const seed = await seedCompetition(app);
  for (let i = 0; i < 20; i++) await markAndWait(app, seed, i % 5, i); // warm-up
  const sequential = [];
  for (let i = 0; i < 100; i++) sequential.push(await markAndWait(app, seed, i % 5, i));
  const panel = (
    await Promise.all(
      Array.from({ length: 5 }, async (_, judge) => {
        const out = [];
        for (let i = 0; i < 60; i++) out.push(await markAndWait(app, seed, judge, i));
        return out;
      }),
    )
  ).flat();
  console.log(
    summary(
      'sequential: submit → acknowledged',
      sequential.map((s) => s.acknowledged),
    ),
  );
  console.log(
    summary(
      'sequential: submit → live updated',
      sequential.map((s) => s.live),
    ),
  );
  console.log(
    summary(
      '5 judges: submit → acknowledged',
      panel.map((s) => s.acknowledged),
    ),
  );
  console.log(
    summary(
      '5 judges: submit → live updated',
      panel.map((s) => s.live),
    ),
  );
  await app.live.settle();
  const differences = await app.live.check();
  console.log(
    differences.length === 0 ? 'check: the live state equals the recomputation' : differences.join('\n'),
  );
  await app.live.store.clear();
} finally {
  await app.close();
  await database.drop();
}
