import { type MarkOutcome, markOutcome, type SubmitMarkRequest } from '@jiangxin/shared';

/**
 * The tablet's outbox: every mark is saved on the tablet first (IndexedDB), with the id the tablet made for it,
 * then sent; it stays until the server has answered it for good. The server's rule (`markOutcome`) says what
 * an answer means: stored (accepted), refused (shown with the reason, never retried), sign in again (kept,
 * sent after sign-in), or retry (the same id and body later, with backoff; marking closed, `round_closed`, is
 * one: held until the round reopens). Marks are sent one at a time in the order they were made, because the
 * latest mark of an item counts.
 */

export type OutboxState = 'saved' | 'sending' | 'accepted' | 'refused';

export interface OutboxEntry {
  /** The mark's id (client-generated), also the outbox key: sending it twice stores it once. */
  id: string;
  /** Whose mark it is (`<device>/<judge>`): only that judge's token may ever send it. */
  scope: string;
  competitionId: string;
  roundId: string;
  body: SubmitMarkRequest;
  /** Milliseconds since the epoch, on the tablet: the order marks are sent in. */
  createdAt: number;
  state: OutboxState;
  attempts: number;
  /** Not before this time (backoff after a retryable failure). */
  nextAttemptAt: number;
  /** Why the server refused it, in the language of the request. */
  error?: { status: number; code: string; message: string };
  /** The server's order of arrival, once accepted. */
  seq?: number;
  answeredAt?: number;
}

/** Where entries are kept: IndexedDB in the browser (./db.ts), memory in unit tests. */
export interface OutboxStore {
  put(entry: OutboxEntry): Promise<void>;
  /** Every entry of a scope, oldest first. */
  list(scope: string): Promise<OutboxEntry[]>;
}

/** One attempt to deliver a mark: the HTTP status, or null when no answer came (offline, timeout). */
export type Deliver = (entry: OutboxEntry) => Promise<{ status: number | null; json?: unknown }>;

export type DrainResult = 'idle' | 'retryLater' | 'reauthenticate';

export const isPending = (entry: OutboxEntry) => entry.state === 'saved' || entry.state === 'sending';

/** Backoff after the nth failed attempt: 1 s, 2 s, 4 s … up to 30 s. */
export const backoffMs = (attempts: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));

export class Outbox {
  private draining: Promise<DrainResult> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Set when the server said to sign in again; cleared by `resume()`. */
  needsSignIn = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly deliver: Deliver,
    private readonly options: {
      scope: string;
      onChange?: () => void;
      now?: () => number;
      /** Runs the drain exclusively across tabs (Web Locks in the browser). */
      exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /** Saves a mark on the tablet, then tries to send it. */
  async add(entry: Pick<OutboxEntry, 'competitionId' | 'roundId' | 'body'>): Promise<OutboxEntry> {
    const saved: OutboxEntry = {
      ...entry,
      id: entry.body.id,
      scope: this.options.scope,
      createdAt: this.now(),
      state: 'saved',
      attempts: 0,
      nextAttemptAt: 0,
    };
    await this.store.put(saved);
    this.options.onChange?.();
    this.kick();
    return saved;
  }

  entries(): Promise<OutboxEntry[]> {
    return this.store.list(this.options.scope);
  }

  /** Sends what is waiting now (the network came back, the page became visible, a new mark). */
  kick(force = false): void {
    if (this.stopped || this.needsSignIn) return;
    clearTimeout(this.timer);
    void this.drain(force).then((result) => {
      if (result === 'retryLater') this.scheduleRetry();
    });
  }

  /** After signing in again: send what waited. */
  resume(): void {
    this.needsSignIn = false;
    this.kick(true);
  }

  /** (Again) allows sending: a page that mounts the outbox starts it, and stops it when it goes. */
  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async scheduleRetry() {
    const pending = (await this.entries()).filter(isPending);
    const due = Math.min(...pending.map((e) => e.nextAttemptAt));
    if (!Number.isFinite(due) || this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.max(250, due - this.now()));
  }

  /** Sends the waiting marks in order until one must wait; one drain at a time. */
  drain(force = false): Promise<DrainResult> {
    if (this.draining) return this.draining;
    const run = () => this.drainOnce(force);
    const exclusive = this.options.exclusive;
    this.draining = (exclusive ? exclusive(run) : run()).finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drainOnce(force: boolean): Promise<DrainResult> {
    for (;;) {
      // Read again each time: another tab may have sent some meanwhile.
      const next = (await this.entries()).find(isPending);
      if (!next) return 'idle';
      if (!force && next.nextAttemptAt > this.now()) return 'retryLater';
      force = false;
      await this.store.put({ ...next, state: 'sending' });
      this.options.onChange?.();
      let answer: { status: number | null; json?: unknown };
      try {
        answer = await this.deliver(next);
      } catch {
        answer = { status: null };
      }
      const error = (answer.json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const outcome: MarkOutcome = markOutcome(answer.status, error?.code);
      const attempts = next.attempts + 1;
      if (outcome === 'stored') {
        const seq = (answer.json as { mark?: { seq?: number } } | undefined)?.mark?.seq;
        await this.store.put({
          ...next,
          state: 'accepted',
          attempts,
          seq,
          answeredAt: this.now(),
          error: undefined,
        });
      } else if (outcome === 'refused') {
        await this.store.put({
          ...next,
          state: 'refused',
          attempts,
          answeredAt: this.now(),
          error: {
            status: answer.status ?? 0,
            code: error?.code ?? 'refused',
            message: error?.message ?? '',
          },
        });
      } else {
        await this.store.put({
          ...next,
          state: 'saved',
          attempts,
          nextAttemptAt: this.now() + backoffMs(attempts),
          // Kept while waiting (e.g. round_closed), so the tablet can say why the mark is held.
          error:
            answer.status !== null && error?.code
              ? { status: answer.status, code: error.code, message: error.message ?? '' }
              : undefined,
        });
        this.options.onChange?.();
        if (outcome === 'reauthenticate') {
          this.needsSignIn = true;
          return 'reauthenticate';
        }
        return 'retryLater';
      }
      this.options.onChange?.();
    }
  }
}
