import type { EventView } from '@jiangxin/shared';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { setupApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { roundLabel } from '../common/i18n/rounds';

/**
 * The names a screen shows for a round: its event's scheme (aspect names in the language chosen) and the
 * round's name. A display device belongs to the competition, so it may read its events; without them the
 * screen shows the scheme's ids. Each event is read once (its scheme and rounds never change once created);
 * the list of events is read again only for a round none of the events read holds (a new event).
 */
export function useRoundNames(token: string, competitionId: string, roundId: string | null) {
  const { pick, t } = useI18n();
  const events = useQuery({
    queryKey: ['display', 'events', competitionId],
    queryFn: ({ signal }) => setupApi.events(competitionId, { token, signal }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
  const views = useQueries({
    queries: (events.data ?? []).map((e) => ({
      queryKey: ['display', 'event', competitionId, e.id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        setupApi.event(competitionId, e.id, { token, signal }),
      staleTime: Number.POSITIVE_INFINITY,
      retry: 1,
    })),
  });
  // The round's event as read (the same object from one render to the next).
  const held: EventView | undefined = views.find((v) => v.data?.rounds.some((r) => r.id === roundId))?.data;
  const settled = events.isFetched && !events.isFetching && views.every((v) => !v.isPending);
  // A round of an event set up since the list was read: the list once more (once per such round).
  const asked = useRef(new Set<string>());
  const { refetch } = events;
  useEffect(() => {
    if (!roundId || held || !settled || asked.current.has(roundId)) return;
    asked.current.add(roundId);
    void refetch();
  }, [roundId, held, settled, refetch]);

  const aspectName = useCallback(
    (id: string) => {
      const aspect = held?.scheme.components.flatMap((c) => c.aspects).find((a) => a.id === id);
      return aspect ? pick(aspect.name, aspect.nameEn) : id;
    },
    [held, pick],
  );
  const roundName = (key: string) => roundLabel(t, key, held?.rounds.find((r) => r.id === roundId)?.name);
  return { aspectName, roundName };
}
