import type { Scheme } from '@jiangxin/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { setupApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { roundLabel } from '../common/i18n/rounds';

interface RoundNames {
  scheme: Scheme;
  /** The round's own name, when the scheme gives one. */
  name: string | null;
}

/**
 * The names a screen shows for a round: its event's scheme (aspect names in the language chosen) and the
 * round's name. A display device belongs to the competition, so it may read its events; without them the
 * screen shows the scheme's ids.
 */
export function useRoundNames(
  token: string,
  competitionId: string,
  roundId: string | null,
  roundCount: number,
) {
  const { pick, t } = useI18n();
  const events = useQuery({
    // Asked again when a round appears (not on each rotation, nor on a renewed token).
    queryKey: ['display', 'events', competitionId, roundCount],
    queryFn: async ({ signal }) => {
      const list = await setupApi.events(competitionId, { token, signal });
      const views = await Promise.all(
        list.map((e) => setupApi.event(competitionId, e.id, { token, signal })),
      );
      const byRound = new Map<string, RoundNames>();
      for (const view of views)
        for (const r of view.rounds) byRound.set(r.id, { scheme: view.scheme, name: r.name });
      return byRound;
    },
    staleTime: 10 * 60_000,
    retry: 1,
    placeholderData: (previous) => previous,
  });
  const held = roundId ? events.data?.get(roundId) : undefined;
  const aspectName = useCallback(
    (id: string) => {
      const aspect = held?.scheme.components.flatMap((c) => c.aspects).find((a) => a.id === id);
      return aspect ? pick(aspect.name, aspect.nameEn) : id;
    },
    [held, pick],
  );
  const roundName = (key: string) => roundLabel(t, key, held?.name);
  return { aspectName, roundName };
}
