/**
 * The floor every mark figure is a ratio of: durable one-row inserts with postgres.js (a pool of 8, each
 * insert its own transaction, synchronous_commit as the server has it) into a table of their own in the run's
 * database, for `seconds`, measured in the same run as the marks.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';

export async function bareInsertsPerSecond(databaseUrl: string, seconds: number): Promise<number> {
  const sql = postgres(databaseUrl, { max: 8, onnotice: () => {} });
  try {
    await sql`create table if not exists bench_bare_inserts (id uuid primary key, body text not null)`;
    const deadline = performance.now() + seconds * 1000;
    let done = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < deadline) {
          await sql`insert into bench_bare_inserts (id, body) values (${randomUUID()}, ${'{"value":"42.5"}'})`;
          done++;
        }
      }),
    );
    const rate = (done * 1000) / (performance.now() - start);
    await sql`drop table bench_bare_inserts`;
    return rate;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
