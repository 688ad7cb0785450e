/**
 * The competition a scenario marks, set up through the API as an organizer would (the rehearsal's
 * `openVenue` and `addEvent`): open scoring (the public may follow every round), `rounds` drone-piloting
 * events of `competitors` each, checked in, each round with its own panel of 5 judges whose tablets are
 * paired and signed in. Their tokens are what the load generator posts marks with.
 */
import type { EventMarks } from '@jiangxin/shared';
import { ApiClient, addEvent, codeKey, openVenue, signIn } from '../../src/rehearsal';
import type { BenchBackend } from './server';

/** The drone template's judged aspect: 0–50 in steps of 0.5, a panel of 5. */
export const BENCH_ITEM = 'assemblyQuality';
export const PANEL = 5;

export interface BenchRound {
  roundId: string;
  /** The workstation codes of its competitors. */
  codes: string[];
  /** The bearer tokens of its judges' tablets, seats J1–J5. */
  judges: string[];
}

export interface BenchVenue {
  competitionId: string;
  rounds: BenchRound[];
  /** Closes the setup's connections. */
  close(): Promise<void>;
}

export async function openBenchVenue(
  url: string,
  backend: BenchBackend,
  options: { rounds: number; competitors: number },
): Promise<BenchVenue> {
  const clients: ApiClient[] = [];
  const client = () => {
    const made = new ApiClient(url);
    clients.push(made);
    return made;
  };
  try {
    const { username, password } = backend.organizer;
    const organizer = await signIn(client(), { username, password });
    const labels = Array.from({ length: options.rounds }, (_, r) =>
      Array.from({ length: PANEL }, (_, j) => `R${r + 1}J${j + 1}`),
    );
    const venue = await openVenue(organizer, client, {
      name: '匠心 bench 赛',
      organizerName: 'bench',
      venue: '127.0.0.1',
      judges: labels.flat(),
    });
    const rounds: BenchRound[] = [];
    for (const [r, seated] of labels.entries()) {
      const names = Array.from({ length: options.competitors }, (_, c) => `R${r + 1}-选手${c + 1}`);
      const event: EventMarks = {
        event: `项目 ${r + 1}`,
        // Only who competes in the Final matters to the setup; the scenario sends the marks.
        marks: names.map((competitor) => ({
          round: 'Final',
          competitor,
          item: BENCH_ITEM,
          judge: seated[0] ?? '',
          value: '0',
        })),
        difficulties: [],
        missingMarks: [],
      };
      const judgeIds = new Map(seated.map((label) => [label, venue.judgeIds.get(label) ?? '']));
      const made = await addEvent({ ...venue, judgeIds }, event, 'drone');
      rounds.push({
        roundId: made.rounds.get('Final') ?? '',
        codes: names.map((n) => made.codes.get(codeKey('Final', n)) ?? ''),
        judges: seated.map((label) => venue.tablets.get(label)?.token ?? ''),
      });
    }
    return {
      competitionId: venue.competitionId,
      rounds,
      close: async () => {
        await Promise.all(clients.map((c) => c.close()));
      },
    };
  } catch (error) {
    await Promise.all(clients.map((c) => c.close()));
    throw error;
  }
}
