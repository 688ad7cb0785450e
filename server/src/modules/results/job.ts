import { parentPort } from 'node:worker_threads';
import { findTemplate } from '../templates/service';
import { type MarksFileOutcome, scoreMarksFile } from './marks-file';
import type { WorkerAnswer } from './pool';

/** A verify job, as the route hands it to a worker thread. */
export interface ResultsJob {
  scheme: string;
  marksCsv: string;
}

/** The worker thread's side: each message is a job, answered with its outcome (worker.mjs loads this). */
parentPort?.on('message', (job: ResultsJob) => {
  let answer: WorkerAnswer<MarksFileOutcome>;
  try {
    answer = { output: scoreMarksFile(findTemplate(job.scheme, 'scheme'), job.marksCsv) };
  } catch (error) {
    answer = { failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(answer);
});
