import { type AddressInfo, connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, type SQL, sql } from 'drizzle-orm';
import { bigserial, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/client';
import { isUniqueViolation } from '../src/db/errors';
import { recordsetOf } from '../src/db/recordset';
import { createTestDatabase, drivers, openTestDatabase, rowsOf } from './databases';

/**
 * Transactions whose BEGIN goes with their first statement (postgres.js patched: patches/) and many rows
 * inserted as one jsonb recordset (db/recordset.ts), on both drivers (decision 031).
 */

const samples = pgTable('samples', {
  id: uuid('id').primaryKey(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  value: numeric('value').notNull(),
  note: text('note'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

const sampleRecords = recordsetOf(samples);

/** The first row a raw statement returns. */
async function firstRow<T>(ex: Pick<DatabaseHandle['db'], 'execute'>, query: SQL): Promise<T | undefined> {
  return rowsOf<T>(await ex.execute(query))[0];
}
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(drivers)('transactions and recordsets (%s)', (driver) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    await handle.db.execute(
      sql`create table samples (id uuid primary key, seq bigserial not null, value numeric not null, note text,
          detail jsonb not null, created_at timestamptz not null default now())`,
    );
  });
  afterAll(() => handle.close());

  const stored = (n: number) =>
    handle.db
      .select()
      .from(samples)
      .where(eq(samples.id, id(n)));

  it('runs the first statement inside the transaction: a rollback takes it back', async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(samples).values({ id: id(1), value: '1', detail: {} });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await stored(1)).toEqual([]);
  });

  it('refuses the commit, and the statements after it, once a statement failed, even when the work caught it', async () => {
    await handle.db.insert(samples).values({ id: id(2), value: '2', detail: {} });
    let later: unknown = null;
    const outcome = handle.db.transaction(async (tx) => {
      await tx.insert(samples).values({ id: id(3), value: '3', detail: {} });
      await tx
        .insert(samples)
        .values({ id: id(2), value: '2', detail: {} })
        .catch(() => 'ignored');
      later = await tx
        .select()
        .from(samples)
        .then(
          () => 'answered',
          (error: unknown) => error,
        );
    });
    // PGlite names the rollback; postgres.js's transaction, like its own `begin`, throws the statement's error.
    if (driver === 'postgres') await expect(outcome).rejects.toSatisfy(isUniqueViolation);
    else await expect(outcome).rejects.toThrow('rolled back');
    expect(later).not.toBe('answered');
    expect(await stored(3)).toEqual([]);
  });

  it('gives every connection back, after failures and under concurrency', async () => {
    for (let i = 0; i < 45; i++)
      await handle.db.transaction(async () => Promise.reject(new Error('no'))).catch(() => null);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        handle.db.transaction(async (tx) => {
          const row = await firstRow<{ n: number }>(tx, sql`select ${i}::int as n`);
          return row?.n;
        }),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('inserts rows of any number in one statement text, values as given, defaults where left out', async () => {
    const rows = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        id: id(from + i),
        seq: 1000 + from + i,
        value: '9.125',
        note: i === 0 ? null : `第${i}条 "quoted"`,
        detail: { nested: { list: [1, 'two'] }, seq: i },
      }));
    const one = handle.db.insert(samples).select(sampleRecords(rows(10, 1)));
    const seven = handle.db.insert(samples).select(sampleRecords(rows(20, 7)));
    expect(one.toSQL().sql).toBe(seven.toSQL().sql);

    const inserted = await handle.db.transaction(async (tx) => {
      const now = (await firstRow<{ now: string }>(tx, sql`select now()::text as now`))?.now;
      const returned = await tx
        .insert(samples)
        .select(sampleRecords(rows(20, 7)))
        .returning();
      const same = await firstRow<{ same: boolean }>(
        tx,
        sql`select bool_and(created_at = ${now}::timestamptz) as same from samples where seq >= 1020`,
      );
      return { returned, same: same?.same };
    });
    expect(inserted.same).toBe(true);
    expect(inserted.returned).toHaveLength(7);
    const [first, second] = inserted.returned;
    expect(first).toMatchObject({ id: id(20), seq: 1020, value: '9.125', note: null });
    expect(second?.note).toBe('第1条 "quoted"');
    expect(second?.detail).toEqual({ nested: { list: [1, 'two'] }, seq: 1 });
    expect(second?.createdAt).toBeInstanceOf(Date);
  });
});

describe('recordsetOf', () => {
  it('refuses a table whose default only drizzle knows: the rows would store null there', () => {
    const counted = pgTable('counted', { id: uuid('id').primaryKey(), count: integer('count').default(0) });
    const stamped = pgTable('stamped', { id: text('id').$defaultFn(() => 'x') });
    expect(() => recordsetOf(counted)).toThrow('count has a default');
    expect(() => recordsetOf(stamped)).toThrow('id has a default');
  });
});

/**
 * A proxy in front of Postgres that can hold back Postgres's answers: what the client sends while nothing
 * has been answered shows what it sends without waiting.
 */
async function holdingProxy(target: URL) {
  let holding = false;
  const held: (() => void)[] = [];
  const sent: Buffer[] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    client.on('data', (chunk) => {
      if (holding) sent.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (holding) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const write of held.splice(0)) write();
    },
    /** What the client sent while answers were held, as text (statement texts are readable in it). */
    sentText: () => Buffer.concat(sent).toString('latin1'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a transaction on Postgres', () => {
  it('writes its first statement with BEGIN, before BEGIN is answered', async () => {
    const database = await createTestDatabase();
    const proxy = await holdingProxy(new URL(database.url));
    const client = postgres(proxy.url, { max: 1, onnotice: () => {} });
    try {
      await client`select 1`;
      proxy.hold();
      let workRan = false;
      const transaction = client.begin(async (tx) => {
        workRan = true;
        const [row] = await tx`select 'first statement' as said`;
        return row?.said;
      });
      await sleep(300);
      expect(workRan).toBe(true);
      expect(proxy.sentText()).toContain('begin');
      expect(proxy.sentText()).toContain('first statement');
      proxy.release();
      expect(await transaction).toBe('first statement');
    } finally {
      proxy.release();
      await client.end({ timeout: 1 });
      await proxy.close();
      await database.drop();
    }
  });
});
