/**
 * The judges of a bench venue marking as fast as the server acknowledges: each tablet token sends one mark
 * at a time (a tablet's outbox sends in order), every tablet at once, until `seconds` have passed or
 * `maxMarks` were sent. A 5xx or a lost connection is retried with the same id and body, as a tablet does.
 * The generator is undici's Pool (one keep-alive connection per tablet), light enough to leave CPU 0 room.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { BENCH_ITEM, type BenchVenue } from './venue';
import type { MarkLedger } from './verify';

export interface MarkingResult extends MarkLedger {
  acknowledged: string[];
  refused: string[];
  /** Submit → acknowledged of every acknowledged mark, ms. */
  ackMs: number[];
  /** Of the measured phase, ms. */
  wallMs: number;
  /** Marks sent and never answered 2xx or 4xx (network errors, 5xx after the retries). */
  unanswered: number;
  /** The first few unexpected answers, for the report's notes. */
  problems: string[];
}

/** A value of the drone assembly aspect (0–50 in steps of 0.5). */
const assemblyValue = (n: number) => String((n % 101) / 2);

export async function markAsFastAsAcknowledged(
  url: string,
  venue: BenchVenue,
  options: {
    seconds: number;
    maxMarks: number;
    onAcknowledged?: (roundId: string, at: number) => void;
    /** A steady pace instead: at most this many marks a second from all tablets together. */
    rate?: number;
  },
): Promise<MarkingResult> {
  const tablets = venue.rounds.flatMap((round) => round.judges.map((token) => ({ round, token })));
  const pool = new Pool(url, { connections: tablets.length, pipelining: 1 });
  const result: MarkingResult = {
    acknowledged: [],
    refused: [],
    ackMs: [],
    wallMs: 0,
    unanswered: 0,
    problems: [],
  };
  const deadline = performance.now() + options.seconds * 1000;
  let sent = 0;
  const start = performance.now();
  try {
    await Promise.all(
      tablets.map(async ({ round, token }, t) => {
        const path = `/api/competitions/${venue.competitionId}/rounds/${round.roundId}/marks`;
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        for (let i = 0; performance.now() < deadline && sent < options.maxMarks; i++) {
          const slot = sent++;
          if (options.rate) {
            const wait = start + (slot * 1000) / options.rate - performance.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            if (performance.now() >= deadline) break;
          }
          const id = randomUUID();
          const body = JSON.stringify({
            id,
            workstation: round.codes[(i + t) % round.codes.length],
            item: BENCH_ITEM,
            value: assemblyValue(i * 7 + t),
          });
          const begin = performance.now();
          let status = 0;
          let text = '';
          for (let attempt = 0; attempt < 3 && (status === 0 || status >= 500); attempt++) {
            try {
              const answer = await pool.request({ path, method: 'POST', headers, body });
              status = answer.statusCode;
              text = await answer.body.text();
            } catch (error) {
              status = 0;
              text = (error as Error).message;
            }
          }
          if (status === 200 || status === 201) {
            const at = performance.now();
            result.ackMs.push(at - begin);
            result.acknowledged.push(id);
            options.onAcknowledged?.(round.roundId, at);
          } else {
            if (status >= 400 && status < 500) result.refused.push(id);
            else result.unanswered++;
            if (result.problems.length < 5) result.problems.push(`${status}: ${text.slice(0, 200)}`);
          }
        }
      }),
    );
    result.wallMs = performance.now() - start;
    return result;
  } finally {
    await pool.close();
  }
}
