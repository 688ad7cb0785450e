import { type QueryKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';
import { setupApi } from '../common/api/endpoints';
import type { CallOptions } from '../common/api/http';
import { asStaff } from '../common/session/staff';

/** Every query of the console sits under this key, so a sign-out or a change can refresh them together. */
export const KEY = 'organizer';

/** A read of the API with the staff token, cached under ['organizer', …key]. */
export function useStaffQuery<T>(
  key: QueryKey,
  read: (o: CallOptions) => Promise<T>,
  enabled = true,
  /** Read again this often (ms): what other people and devices change (a tablet pairing). */
  every?: number,
) {
  return useQuery({
    queryKey: [KEY, ...key],
    queryFn: ({ signal }) => asStaff((token) => read({ token, signal })),
    enabled,
    refetchInterval: every,
  });
}

/** A write with the staff token; once it succeeds the reads under each of `refresh` are fetched again. */
export function useStaffMutation<V, T>(
  write: (variables: V, o: CallOptions) => Promise<T>,
  refresh: QueryKey[],
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) => asStaff((token) => write(variables, { token })),
    onSuccess: async () => {
      await Promise.all(refresh.map((key) => client.invalidateQueries({ queryKey: [KEY, ...key] })));
    },
  });
}

/** The competition of the URL. */
export function useCompetitionId(): string {
  return useParams().competitionId ?? '';
}

export function useCompetitionView() {
  const competitionId = useCompetitionId();
  return useStaffQuery(['competition', competitionId], (o) => setupApi.competition(competitionId, o));
}

export function useEvents() {
  const competitionId = useCompetitionId();
  return useStaffQuery(['events', competitionId], (o) => setupApi.events(competitionId, o));
}

/** The event chosen on a page (`?event=` in the URL, so it survives a reload), the first one otherwise. */
export function useChosenEvent() {
  const events = useEvents();
  const [params, setParams] = useSearchParams();
  const list = events.data ?? [];
  const chosen = list.find((e) => e.id === params.get('event')) ?? list[0] ?? null;
  const choose = (eventId: string) =>
    setParams(
      (held) => {
        held.set('event', eventId);
        return held;
      },
      { replace: true },
    );
  return { events, chosen, choose };
}

export function useEvent(eventId: string | null) {
  const competitionId = useCompetitionId();
  return useStaffQuery(
    ['event', eventId],
    (o) => setupApi.event(competitionId, eventId ?? '', o),
    eventId !== null,
  );
}
