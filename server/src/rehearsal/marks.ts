import { randomUUID } from 'node:crypto';
import {
  type EventMarkInput,
  markOutcome,
  type SubmitMarkRequest,
  signOffRequest,
  submitMarkRequest,
} from '@jiangxin/shared';
import { checked, pause } from './api';
import { codeKey, type Venue, type VenueEvent } from './venue';

/** One mark as a tablet sent it: when it left, and when it was stored (null: refused or never acknowledged). */
export interface SentMark {
  roundId: string;
  workstation: string;
  /** The judge's label in the marks file (their seat: J1, J2 …). */
  judge: string;
  start: number;
  acknowledgedAt: number | null;
  /** The server answered 200: a retry of a mark it had already stored. */
  duplicate: boolean;
}

export interface SubmitOptions {
  /** Waits before each mark is sent (a judge's pace); absent: as fast as the server takes them. */
  pace?: (mark: EventMarkInput) => Promise<void>;
  /** Stops sending: marks not yet sent are dropped. */
  signal?: AbortSignal;
}

/**
 * Every judge sends their marks of the events in order, all judges at once, each from their own tablet, by
 * the tablet's rule (`markOutcome`): retry with the same id and body until stored or refused.
 */
export async function submitMarks(
  venue: Venue,
  events: readonly VenueEvent[],
  options: SubmitOptions = {},
): Promise<SentMark[]> {
  const sent: SentMark[] = [];
  await Promise.all(
    [...venue.tablets].map(async ([label, tablet]) => {
      for (const { event, rounds, codes } of events) {
        for (const m of event.marks.filter((x) => x.judge === label)) {
          await options.pace?.(m);
          if (options.signal?.aborted) return;
          const mark: SubmitMarkRequest = checked(submitMarkRequest, {
            id: randomUUID(),
            workstation: codes.get(codeKey(m.round, m.competitor)) ?? '',
            item: m.item,
            value: m.value,
          });
          const roundId = rounds.get(m.round) ?? '';
          const url = `${venue.C}/rounds/${roundId}/marks`;
          const record: SentMark = {
            roundId,
            workstation: mark.workstation,
            judge: label,
            start: performance.now(),
            acknowledgedAt: null,
            duplicate: false,
          };
          sent.push(record);
          for (let attempt = 0; attempt < 5; attempt++) {
            const answer = await tablet
              .send<{ error?: { code?: string } } | undefined>('POST', url, mark)
              .catch(() => null);
            const outcome = markOutcome(answer?.status ?? null, answer?.json?.error?.code);
            if (outcome === 'stored') {
              record.acknowledgedAt = performance.now();
              record.duplicate = answer?.status === 200;
            }
            if (outcome !== 'retry' || options.signal?.aborted) break;
            await pause(100 * (attempt + 1), options.signal);
          }
        }
      }
    }),
  );
  return sent;
}

/** Closes a round as the chief judge and the encryption officer would: sign-off, decryption, publication. */
export async function finishRound(venue: Venue, roundId: string, reason: string): Promise<void> {
  const R = `${venue.C}/rounds/${roundId}`;
  await venue.chief.must(
    'POST',
    `${R}/sign-off`,
    checked(signOffRequest, { confirm: true, force: true, reason }),
  );
  await venue.officer.must('POST', `${R}/decrypt`);
  await venue.chief.must('POST', `${R}/publish`);
}
