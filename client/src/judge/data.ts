import type { EventView, MyMarksResponse, Scheme } from '@jiangxin/shared';
import { useQuery } from '@tanstack/react-query';
import { marksApi, setupApi } from '../common/api/endpoints';
import { readThrough } from '../common/outbox/db';
import { keptWillDo } from './errors';

/** A round a judge may mark, with its event's scheme. */
export interface JudgeRound {
  eventId: string;
  eventName: string;
  roundId: string;
  roundName: string;
  signedOff: boolean;
  scheme: Scheme;
}

/**
 * The reads a judge needs to keep marking, each kept on the tablet so a reload while offline still shows the
 * round, its workstations and the judge's marks (keyed by judge, so a tablet shared by judges never mixes them).
 */
export function useJudgeRounds(token: string, competitionId: string, judgeId: string) {
  return useQuery({
    queryKey: ['judge-rounds', competitionId, judgeId, token],
    queryFn: ({ signal }) =>
      readThrough(
        `${judgeId}:rounds`,
        async () => {
          const [competition, events] = await Promise.all([
            setupApi.competition(competitionId, { token, signal }),
            setupApi.events(competitionId, { token, signal }),
          ]);
          const details: EventView[] = await Promise.all(
            events.map((e) => setupApi.event(competitionId, e.id, { token, signal })),
          );
          const rounds: JudgeRound[] = details.flatMap((event) =>
            event.rounds.map((round) => ({
              eventId: event.id,
              eventName: event.name,
              roundId: round.id,
              roundName: round.name ?? round.key,
              signedOff: round.signedOffAt !== null,
              scheme: event.scheme,
            })),
          );
          return { competitionName: competition.name, rounds };
        },
        keptWillDo,
      ),
    staleTime: 60_000,
    // Offline, the tablet answers from what it kept (readThrough): never wait for the network to ask.
    networkMode: 'always',
    retry: false,
  });
}

/** Refreshed after each accepted mark and every half minute (sign-off and re-mark orders show up by themselves). */
export function useMyMarks(token: string, competitionId: string, judgeId: string, roundId: string | null) {
  return useQuery({
    queryKey: ['my-marks', competitionId, judgeId, roundId, token],
    enabled: roundId !== null,
    queryFn: ({ signal }) =>
      readThrough<MyMarksResponse>(
        `${judgeId}:my-marks:${roundId}`,
        () => marksApi.myMarks(competitionId, roundId as string, { token, signal }),
        keptWillDo,
      ),
    refetchInterval: 30_000,
    networkMode: 'always',
    retry: false,
  });
}
