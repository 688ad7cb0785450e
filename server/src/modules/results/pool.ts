import { Worker } from 'node:worker_threads';

/** How much heavy work a pool takes on: workers at once, jobs waiting, and each job's time. */
export interface PoolLimits {
  /** Worker threads computing at once. */
  workers: number;
  /** Jobs that may wait for a worker; one more is refused (PoolBusyError). */
  queue: number;
  /** A job still running after this is stopped (its worker terminated) and refused (PoolTimeoutError). */
  timeBudgetMs: number;
}

/** Every worker is busy and the queue is full. */
export class PoolBusyError extends Error {
  constructor() {
    super('every worker is busy and the queue is full');
    this.name = 'PoolBusyError';
  }
}

/** A job ran over its time budget; its worker was terminated. */
export class PoolTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the job ran over its time budget of ${budgetMs} ms`);
    this.name = 'PoolTimeoutError';
  }
}

interface Job<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: Error) => void;
}

interface Slot<I, O> {
  worker: Worker | null;
  job: Job<I, O> | null;
  timer: NodeJS.Timeout | null;
}

/** What a worker answers a job with: the output, or why it failed. */
export type WorkerAnswer<O> = { output: O } | { failed: string };

/**
 * A bounded pool of worker threads for work that would otherwise hold the event loop (judges' marks wait
 * behind it). Workers start on first use and are kept; a worker that runs over the budget or dies is
 * terminated and replaced on the next job. The worker script answers each message with a WorkerAnswer.
 */
export class WorkerPool<I, O> {
  private readonly slots: Slot<I, O>[];
  private readonly waiting: Job<I, O>[] = [];
  private closed = false;

  constructor(
    private readonly script: URL,
    readonly limits: PoolLimits,
    /** Bounds each worker's heap, so one job cannot take the server's memory. */
    private readonly heapMb = 256,
  ) {
    this.slots = Array.from({ length: Math.max(1, limits.workers) }, () => ({
      worker: null,
      job: null,
      timer: null,
    }));
  }

  /** Runs a job on a free worker, after those waiting; refuses at once when the queue is full. */
  run(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    const free = this.slots.some((s) => s.job === null);
    if (!free && this.waiting.length >= this.limits.queue) return Promise.reject(new PoolBusyError());
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every worker; jobs running or waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the server is closing'));
    await Promise.all(this.slots.map((slot) => this.stop(slot, new Error('the server is closing'))));
  }

  private dispatch() {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      const job = this.waiting.shift();
      if (!job) return;
      slot.job = job;
      const worker = slot.worker ?? this.spawn(slot);
      slot.timer = setTimeout(() => {
        void this.stop(slot, new PoolTimeoutError(this.limits.timeBudgetMs)).then(() => this.dispatch());
      }, this.limits.timeBudgetMs);
      worker.postMessage(job.input);
    }
  }

  private spawn(slot: Slot<I, O>): Worker {
    const worker = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    // An idle worker does not keep the process alive.
    worker.unref();
    slot.worker = worker;
    worker.on('message', (answer: WorkerAnswer<O>) => {
      // A worker stopped over its budget may still answer before it ends: its slot has another job by then.
      if (slot.worker !== worker) return;
      const job = this.finish(slot);
      if (!job) return;
      if ('output' in answer) job.resolve(answer.output);
      else job.reject(new Error(answer.failed));
      this.dispatch();
    });
    const lost = (error: Error) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      this.finish(slot)?.reject(error);
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the worker stopped (exit code ${code})`)));
    return worker;
  }

  /** Frees the slot and returns the job it was running. */
  private finish(slot: Slot<I, O>): Job<I, O> | null {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    return job;
  }

  /** Terminates the slot's worker, refusing its job with `error`. */
  private async stop(slot: Slot<I, O>, error: Error): Promise<void> {
    const worker = slot.worker;
    slot.worker = null;
    this.finish(slot)?.reject(error);
    await worker?.terminate();
  }
}
