import { useCallback, useEffect, useMemo, useState } from 'react';
import { marksApi } from '../common/api/endpoints';
import { NetworkError, send } from '../common/api/http';
import { acrossTabs, indexedDbOutbox } from '../common/outbox/db';
import { type Deliver, Outbox, type OutboxEntry } from '../common/outbox/outbox';
import { judgeSession } from './session';

/** How long one mark request may take before it counts as lost (and is retried with the same id). */
const SEND_TIMEOUT_MS = 15_000;
/** Besides the backoff, the outbox is tried this often while the page is open. */
const SWEEP_MS = 20_000;

/** Sends one mark with the token the tablet holds at that moment. */
const deliver: Deliver = async (entry) => {
  const token = judgeSession.get()?.token ?? null;
  try {
    const answer = await send('POST', marksApi.marksPath(entry.competitionId, entry.roundId), {
      token,
      body: entry.body,
      timeoutMs: SEND_TIMEOUT_MS,
    });
    return { status: answer.status, json: answer.json };
  } catch (error) {
    if (error instanceof NetworkError || (error as Error).name === 'TimeoutError') return { status: null };
    throw error;
  }
};

/**
 * The signed-in judge's outbox: its entries as they change, and whether the server asked for the PIN again.
 * It drains when a mark is added, when the network comes back (`online`), when the page becomes visible, on a
 * sweep timer, and after its own backoff.
 */
export function useOutbox(competitionId: string, judgeId: string) {
  // A judge's marks are sent only with that judge's token, whichever tablet they were made on.
  const scope = `${competitionId}/${judgeId}`;
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [needsPin, setNeedsPin] = useState(false);

  const outbox = useMemo(() => {
    const box: Outbox = new Outbox(indexedDbOutbox, deliver, {
      scope,
      exclusive: acrossTabs('jiangxin-outbox'),
      onChange: () => {
        void box.entries().then(setEntries);
        if (box.needsSignIn) setNeedsPin(true);
      },
    });
    return box;
  }, [scope]);

  useEffect(() => {
    outbox.start();
    void outbox.entries().then(setEntries);
    const kick = () => outbox.kick(true);
    const onVisible = () => {
      if (document.visibilityState === 'visible') kick();
    };
    kick();
    const sweep = setInterval(() => outbox.kick(), SWEEP_MS);
    globalThis.addEventListener('online', kick);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(sweep);
      globalThis.removeEventListener('online', kick);
      document.removeEventListener('visibilitychange', onVisible);
      outbox.stop();
    };
  }, [outbox]);

  const askPin = useCallback(() => setNeedsPin(true), []);
  const resumed = useCallback(() => {
    setNeedsPin(false);
    outbox.resume();
  }, [outbox]);

  return { outbox, entries, needsPin, askPin, resumed };
}
