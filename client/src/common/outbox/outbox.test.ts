import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Deliver, Outbox, type OutboxEntry, type OutboxStore } from './outbox';

class MemoryStore implements OutboxStore {
  rows = new Map<string, OutboxEntry>();
  async put(entry: OutboxEntry) {
    this.rows.set(entry.id, structuredClone(entry));
  }
  async list(scope: string) {
    return [...this.rows.values()].filter((e) => e.scope === scope).sort((a, b) => a.createdAt - b.createdAt);
  }
}

/** A server behind a network we can cut: answers by a rule, records what reached it. */
function server(answer: (entry: OutboxEntry, call: number) => number | null) {
  const received: { id: string; value: string }[] = [];
  let calls = 0;
  const deliver: Deliver = async (entry) => {
    const status = answer(entry, calls++);
    if (status === null) throw new TypeError('Failed to fetch');
    received.push({ id: entry.id, value: entry.body.value });
    return {
      status,
      json:
        status < 300
          ? { mark: { seq: received.length } }
          : { error: { code: status === 409 ? 'round_signed_off' : 'x', message: '本场次已签字锁定' } },
    };
  };
  return { deliver, received };
}

const mark = (value: string, workstation = 'A01') => ({
  competitionId: 'c',
  roundId: 'r',
  body: { id: randomUUID(), workstation, item: 'quality', value },
});

function outbox(store: OutboxStore, deliver: Deliver, scope = 'tablet/judge') {
  let clock = 1_000;
  const box = new Outbox(store, deliver, { scope, now: () => clock++ });
  return { box, advance: (ms: number) => (clock += ms) };
}

describe('the outbox', () => {
  it('saves a mark first, sends it, and keeps it as accepted with the server’s sequence', async () => {
    const store = new MemoryStore();
    const net = server(() => 201);
    const { box } = outbox(store, net.deliver);
    const saved = await box.add(mark('8.5'));
    expect(saved.state).toBe('saved');
    expect(await box.drain()).toBe('idle');
    const [entry] = await box.entries();
    expect(entry).toMatchObject({ id: saved.id, state: 'accepted', seq: 1, attempts: 1 });
    expect(net.received).toEqual([{ id: saved.id, value: '8.5' }]);
  });

  it('keeps marks through a network failure and sends them later with the same id, in order', async () => {
    const store = new MemoryStore();
    let online = false;
    const net = server(() => (online ? 201 : null));
    const { box, advance } = outbox(store, net.deliver);
    const first = await box.add(mark('7', 'A01'));
    const second = await box.add(mark('9', 'A02'));
    expect(await box.drain()).toBe('retryLater');
    // The first waits for its backoff; the second was never sent ahead of it.
    let entries = await box.entries();
    expect(entries.map((e) => e.state)).toEqual(['saved', 'saved']);
    expect(entries[0]?.attempts).toBe(1);
    expect(await box.drain()).toBe('retryLater');
    online = true;
    advance(1_000);
    expect(await box.drain()).toBe('idle');
    entries = await box.entries();
    expect(entries.map((e) => e.state)).toEqual(['accepted', 'accepted']);
    expect(net.received.map((r) => r.id)).toEqual([first.id, second.id]);
  });

  it('treats 5xx and 429 as retry and backs off, doubling up to 30 s', async () => {
    const store = new MemoryStore();
    const net = server((_, call) => (call < 3 ? (call === 1 ? 429 : 503) : 200));
    const { box, advance } = outbox(store, net.deliver);
    await box.add(mark('6'));
    for (const wait of [1_000, 2_000, 4_000]) {
      expect(await box.drain()).toBe('retryLater');
      const [entry] = await box.entries();
      expect(entry?.nextAttemptAt).toBeGreaterThanOrEqual(1_000 + wait);
      advance(wait + 10);
    }
    expect(await box.drain()).toBe('idle');
    expect((await box.entries())[0]?.state).toBe('accepted');
  });

  it('keeps a refused mark with the server’s reason and goes on with the next one', async () => {
    const store = new MemoryStore();
    const net = server((entry) => (entry.body.workstation === 'A01' ? 409 : 201));
    const { box } = outbox(store, net.deliver);
    await box.add(mark('5', 'A01'));
    await box.add(mark('6', 'A02'));
    expect(await box.drain()).toBe('idle');
    const [refused, accepted] = await box.entries();
    expect(refused).toMatchObject({
      state: 'refused',
      error: { status: 409, code: 'round_signed_off', message: '本场次已签字锁定' },
    });
    expect(accepted?.state).toBe('accepted');
  });

  it('holds a mark refused because marking is closed, and sends it once the round reopens', async () => {
    const store = new MemoryStore();
    let closed = true;
    const sent: string[] = [];
    const deliver: Deliver = async (entry) => {
      sent.push(entry.id);
      return closed
        ? { status: 409, json: { error: { code: 'round_closed', message: '本场次评分已暂停' } } }
        : { status: 201, json: { mark: { seq: 1 } } };
    };
    const { box, advance } = outbox(store, deliver);
    const held = await box.add(mark('7', 'A01'));
    expect(await box.drain()).toBe('retryLater');
    expect((await box.entries())[0]).toMatchObject({
      state: 'saved',
      error: { status: 409, code: 'round_closed' },
    });
    closed = false;
    advance(1_000);
    expect(await box.drain()).toBe('idle');
    expect((await box.entries())[0]).toMatchObject({ id: held.id, state: 'accepted', error: undefined });
    expect(sent).toEqual([held.id, held.id]);
  });

  it('stops on 401 without dropping anything, and sends after the judge signs in again', async () => {
    const store = new MemoryStore();
    let signedIn = false;
    const net = server(() => (signedIn ? 201 : 401));
    const { box } = outbox(store, net.deliver);
    await box.add(mark('8'));
    await box.add(mark('9', 'A02'));
    expect(await box.drain()).toBe('reauthenticate');
    expect(box.needsSignIn).toBe(true);
    expect((await box.entries()).map((e) => e.state)).toEqual(['saved', 'saved']);
    signedIn = true;
    box.resume();
    await box.drain();
    await expect
      .poll(async () => (await box.entries()).map((e) => e.state))
      .toEqual(['accepted', 'accepted']);
  });

  it('never sends another judge’s marks', async () => {
    const store = new MemoryStore();
    const net = server(() => 201);
    const judgeA = outbox(store, net.deliver, 'tablet/A').box;
    const judgeB = outbox(store, net.deliver, 'tablet/B').box;
    judgeA.stop(); // judge A signed out on this tablet with a mark still waiting
    const a = await judgeA.add(mark('8'));
    await judgeB.drain();
    expect(net.received).toEqual([]);
    expect((await store.list('tablet/A'))[0]).toMatchObject({ id: a.id, state: 'saved' });
  });

  it('runs one drain at a time: a mark is never sent twice by overlapping triggers', async () => {
    const store = new MemoryStore();
    const net = server(() => 201);
    const { box } = outbox(store, net.deliver);
    await box.add(mark('8'));
    await Promise.all([box.drain(), box.drain(), box.drain()]);
    expect(net.received).toHaveLength(1);
  });
});
