import {
  type AspectResult,
  eventJson,
  type HonoursListResponse,
  type Role,
  resolveItem,
  type Scheme,
  type SchemeInput,
  type scoreEvent,
} from '@jiangxin/shared';
import type { Database, Executor } from '../../db/client';
import { honoursPdf, honoursWorkbook } from '../../documents/honours';
import type {
  CompetitionHeader,
  EventResults,
  MarkLine,
  MarkUse,
  Provenance,
  ResultsDocument,
} from '../../documents/model';
import { marksCsv, resultsCsv, resultsPdf, resultsWorkbook } from '../../documents/results';
import { notFound, resultsNotPublished, roundFrozen } from '../../refusals';
import { readEvent, scoreReading } from '../../scoring/event';
import { schemeOf } from '../../scoring/round';
import { auditHead } from '../audit/service';
import {
  competitionRow,
  type EventRow,
  entryNumbers,
  eventRows,
  type RoundRow,
  roundRows,
  staffNames,
  teamMembersOf,
} from './repository';

/**
 * The official exports: results (XLSX, CSV, PDF) of the competition or one event, and an event's marks as
 * `pnpm results` reads them with its scheme beside them. Everything a document shows is read in one
 * read-only snapshot together with the audit position it names. Unpublished results go only to the chief
 * judge and the organizer, as drafts.
 */

/** A file to send: its name (Chinese allowed), an ASCII name for old clients, its type and bytes. */
export interface ExportFile {
  filename: string;
  fallbackName: string;
  type: string;
  body: Buffer | string;
  provenance: Provenance;
}

export type ResultsFormat = 'xlsx' | 'csv' | 'pdf';

const TYPES: Record<ResultsFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

/** What one event's export knows: its results, whether every round held is published, its scheme. */
interface ExportedEvent {
  row: EventRow;
  results: EventResults;
  /** Rounds held (competitors drawn into them); none: the event has not started. */
  held: number;
  published: boolean;
  frozen: boolean;
}

const privileged = (roles: ReadonlySet<Role>) => roles.has('chiefJudge') || roles.has('organizer');

/** The use the engine made of each mark, keyed by round, competitor, aspect, attempt and seat. */
function markUses(result: ReturnType<typeof scoreEvent>): {
  uses: Map<string, MarkUse>;
  replaced: Map<string, string>;
} {
  const uses = new Map<string, MarkUse>();
  const replaced = new Map<string, string>();
  for (const round of result.rounds) {
    for (const { score } of round.standings) {
      const note = (attempt: number | null, a: AspectResult) => {
        const key = (judge: string) => useKey(round.round, score.competitor, a.aspect, attempt, judge);
        for (const m of a.used) uses.set(key(m.judge), 'used');
        for (const m of a.dropped) uses.set(key(m.judge), 'dropped');
        if (a.used.length === 0 && a.dropped.length === 0)
          for (const m of a.marks) uses.set(key(m.judge), 'awaiting');
        for (const f of a.flags) if (f.code === 'markReplaced') replaced.set(key(f.judge), f.value);
      };
      for (const c of score.components) {
        for (const a of c.aspects) note(null, a);
        for (const t of c.attempts) for (const a of t.aspects) note(t.attempt, a);
      }
    }
  }
  return { uses, replaced };
}

const useKey = (round: string, competitor: string, aspect: string, attempt: number | null, judge: string) =>
  [round, competitor, aspect, attempt ?? '', judge].join('\u0000');

/**
 * An event's results from the marks in force of every round held, scored once by the shared engine as
 * `pnpm results` scores the exported marks file (so the two agree): each round's marks are read and seated
 * by `computeRound`, the one reading of a round; competitors are named once every round is decrypted (or
 * the competition scores openly), else by their workstation code in the latest round they reached.
 */
async function exportEvent(
  tx: Executor,
  competitionId: string,
  openScoring: boolean,
  row: EventRow,
  rounds: readonly RoundRow[],
): Promise<ExportedEvent> {
  const scheme: Scheme = schemeOf(row.id, row.scheme);
  const order = scheme.rounds.map((r) => r.id);
  const held = rounds
    .filter((r) => r.eventId === row.id && r.entrants > 0)
    .sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  const reading = await readEvent(
    tx,
    competitionId,
    held.map((r) => r.id),
  );
  const { people, marks, difficulties } = reading;
  const named = openScoring || (held.length > 0 && held.every((r) => r.decryptedAt !== null));
  // Before decryption the entry number would tie a workstation code to a registration: left out.
  const entry = named ? await entryNumbers(tx, row.id) : new Map<string, number | null>();
  const members = named
    ? await teamMembersOf(tx, row.id)
    : new Map<string, { name: string; unit: string }[]>();
  // The label the engine ranks by and the marks file carries: the name (or code), told apart if shared.
  const baseLabel = (id: string) => {
    const p = people.get(id);
    return !p ? id : named ? p.name : p.code;
  };
  const shared = new Map<string, number>();
  for (const id of people.keys()) shared.set(baseLabel(id), (shared.get(baseLabel(id)) ?? 0) + 1);
  const labelOf = (id: string) => {
    const base = baseLabel(id);
    return (shared.get(base) ?? 0) > 1 ? `${base}（${entry.get(id) ?? people.get(id)?.round}）` : base;
  };
  const byLabel = new Map([...people.keys()].map((id) => [labelOf(id), id]));
  const result = scoreReading(scheme, reading, labelOf);
  const json = eventJson(scheme, row.name, result);
  const roundName = (key: string) => scheme.rounds.find((r) => r.id === key)?.name ?? key;
  const { uses, replaced } = markUses(result);
  // A replaced seat is a line of the sheet too, flagged, with the value the engine gave it.
  const replacedMarks = reading.missingMarks.flatMap((m) => {
    const ref = resolveItem(scheme, m.item);
    const key = ref && useKey(m.round, labelOf(m.competitorId), ref.aspect.id, ref.attempt, m.judge);
    const value = key ? replaced.get(key) : undefined;
    return value === undefined ? [] : [{ ...m, value, replaced: true }];
  });
  const markLines: MarkLine[] = [...marks, ...replacedMarks].map((m) => {
    const ref = resolveItem(scheme, m.item);
    const competitor = labelOf(m.competitorId);
    const difficulty =
      ref?.attempt == null
        ? null
        : (difficulties.find(
            (d) => d.round === m.round && d.competitorId === m.competitorId && d.attempt === ref.attempt,
          )?.difficulty ?? null);
    return {
      round: m.round,
      competitor,
      entryNumber: entry.get(m.competitorId) ?? null,
      item: m.item,
      judge: m.judge,
      mark: m.value,
      difficulty,
      use: ref ? (uses.get(useKey(m.round, competitor, ref.aspect.id, ref.attempt, m.judge)) ?? null) : null,
      replaced: 'replaced' in m,
    };
  });
  // In the order a person reads a score sheet: round, entry number, item, seat.
  const numeric = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  markLines.sort(
    (a, b) =>
      order.indexOf(a.round) - order.indexOf(b.round) ||
      (a.entryNumber ?? 0) - (b.entryNumber ?? 0) ||
      numeric(a.competitor, b.competitor) ||
      numeric(a.item, b.item) ||
      numeric(a.judge, b.judge),
  );
  return {
    row,
    held: held.length,
    published: held.length > 0 && held.every((r) => r.publishedAt !== null),
    frozen: held.some((r) => r.frozenAt !== null),
    results: {
      name: row.name,
      scheme: scheme.name,
      components: scheme.components.map((c) => ({ id: c.id, name: c.name })),
      standings: json.standings.map((s) => {
        const id = byLabel.get(s.competitor) ?? '';
        return {
          rank: s.rank,
          entryNumber: entry.get(id) ?? null,
          competitor: s.competitor,
          unit: named ? (people.get(id)?.unit ?? '') : '',
          ...(members.has(id) ? { members: members.get(id) } : {}),
          scores: scheme.components.map((c) => s.components.find((x) => x.component === c.id)?.score ?? null),
          total: s.total,
          round: roundName(s.round),
          note: s.disqualifiedBy
            ? `取消资格：${s.disqualifiedBy}`
            : s.total === null
              ? '无成绩'
              : s.decidedBy && s.decidedBy !== 'total'
                ? `决胜：${s.decidedBy}`
                : '',
        };
      }),
      marks: markLines,
    },
  };
}

/** Refuses an event's results to whoever may not see them yet; says whether they go out as a draft. */
function eventAccess(e: ExportedEvent, roles: ReadonlySet<Role>): { draft: boolean } {
  if (privileged(roles)) return { draft: !e.published };
  if (!e.published) throw resultsNotPublished('event');
  if (e.frozen) throw roundFrozen();
  return { draft: false };
}

const fileSafe = (name: string) => name.replace(/[\\/:*?"<>|]/g, '_').slice(0, 80);

async function competitionOf(tx: Executor, competitionId: string) {
  const competition = await competitionRow(tx, competitionId);
  if (!competition) throw notFound('competition', competitionId);
  return competition;
}

const staffOf = async (tx: Executor, competitionId: string) => ({
  chiefJudges: await staffNames(tx, competitionId, 'chiefJudge'),
  organizers: await staffNames(tx, competitionId, 'organizer'),
});

/** What a document's cover names: the competition, its dates and venue, its chief judges and organizers. */
async function headerOf(tx: Executor, competitionId: string): Promise<CompetitionHeader> {
  const competition = await competitionOf(tx, competitionId);
  return {
    name: competition.name,
    organizer: competition.organizer,
    venue: competition.venue,
    startsOn: competition.startsOn,
    endsOn: competition.endsOn,
    ...(await staffOf(tx, competitionId)),
  };
}

/** The honour list as its module answers it, refusals included (the exports only render it). */
export type HonoursListOf = (competitionId: string, roles: ReadonlySet<Role>) => Promise<HonoursListResponse>;

export function createExportsService(db: Database, honoursList: HonoursListOf) {
  /** Reads what a document needs in one read-only snapshot, with the audit position it is made from. */
  const snapshot = <T>(
    competitionId: string,
    eventId: string | undefined,
    _roles: ReadonlySet<Role>,
    build: (read: {
      competition: NonNullable<Awaited<ReturnType<typeof competitionRow>>>;
      events: ExportedEvent[];
      provenance: (draft: boolean) => Provenance;
      staff: Pick<CompetitionHeader, 'chiefJudges' | 'organizers'>;
    }) => T,
  ): Promise<T> =>
    db.transaction(
      async (tx) => {
        const competition = await competitionOf(tx, competitionId);
        const rows = await eventRows(tx, competitionId, eventId);
        if (eventId !== undefined && rows.length === 0) throw notFound('event', eventId);
        const rounds = await roundRows(
          tx,
          rows.map((r) => r.id),
        );
        const events: ExportedEvent[] = [];
        for (const row of rows)
          events.push(await exportEvent(tx, competitionId, competition.openScoring, row, rounds));
        const head = await auditHead(tx, competitionId);
        const staff = await staffOf(tx, competitionId);
        const generatedAt = new Date().toISOString();
        return build({
          competition,
          events,
          staff,
          provenance: (draft) => ({ auditSeq: head.seq, auditHash: head.hash, draft, generatedAt }),
        });
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );

  /** The results document of the competition (every event the caller may see) or of one event. */
  const resultsDocument = (competitionId: string, eventId: string | undefined, roles: ReadonlySet<Role>) =>
    snapshot(competitionId, eventId, roles, ({ competition, events, provenance, staff }) => {
      let shown: ExportedEvent[];
      if (eventId !== undefined) {
        shown = events;
        for (const e of events) eventAccess(e, roles);
      } else if (privileged(roles)) shown = events.filter((e) => e.held > 0);
      else {
        shown = events.filter((e) => e.published && !e.frozen);
        if (shown.length === 0) throw resultsNotPublished('competition');
      }
      const document: ResultsDocument = {
        competition: {
          name: competition.name,
          organizer: competition.organizer,
          venue: competition.venue,
          startsOn: competition.startsOn,
          endsOn: competition.endsOn,
          ...staff,
        },
        events: shown.map((e) => e.results),
        omitted: events.filter((e) => !shown.includes(e)).map((e) => e.row.name),
        provenance: provenance(shown.some((e) => !e.published)),
      };
      return { document, title: eventId === undefined ? competition.name : `${shown[0]?.row.name ?? ''}` };
    });

  return {
    async results(
      competitionId: string,
      format: ResultsFormat,
      roles: ReadonlySet<Role>,
      eventId?: string,
    ): Promise<ExportFile> {
      const { document, title } = await resultsDocument(competitionId, eventId, roles);
      const body =
        format === 'xlsx'
          ? await resultsWorkbook(document)
          : format === 'pdf'
            ? await resultsPdf(document)
            : resultsCsv(document);
      const draft = document.provenance.draft ? '-草稿' : '';
      return {
        filename: `${fileSafe(title)}-成绩${draft}.${format}`,
        fallbackName: `results${draft ? '-draft' : ''}.${format}`,
        type: TYPES[format],
        body,
        provenance: document.provenance,
      };
    },

    /** The event's marks in force as `pnpm results` reads them. */
    async marks(competitionId: string, eventId: string, roles: ReadonlySet<Role>): Promise<ExportFile> {
      return snapshot(competitionId, eventId, roles, ({ events, provenance }) => {
        const [e] = events as [ExportedEvent];
        const p = provenance(eventAccess(e, roles).draft);
        return {
          filename: `${fileSafe(e.row.name)}-评分${p.draft ? '-草稿' : ''}.marks.csv`,
          fallbackName: `marks${p.draft ? '-draft' : ''}.csv`,
          type: TYPES.csv,
          body: marksCsv(e.row.name, e.results.marks, p),
          provenance: p,
        };
      });
    },

    /**
     * The honour recommendation list (XLSX or PDF) under the honours module's own rule: the organizer and
     * the chief judge always (a draft until the organizer publishes it), everyone else once published.
     */
    async honours(
      competitionId: string,
      format: 'xlsx' | 'pdf',
      roles: ReadonlySet<Role>,
    ): Promise<ExportFile> {
      // The position is read first: the list is made from that state or a later one, never an earlier one.
      const { header, head } = await db.transaction(
        async (tx) => ({
          header: await headerOf(tx, competitionId),
          head: await auditHead(tx, competitionId),
        }),
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
      const list = await honoursList(competitionId, roles);
      const document = {
        competition: header,
        rules: list.ruleSet,
        evaluation: list,
        overrides: list.overrides,
        provenance: {
          auditSeq: head.seq,
          auditHash: head.hash,
          draft: list.publishedAt === null,
          generatedAt: new Date().toISOString(),
        },
      };
      const body = format === 'xlsx' ? await honoursWorkbook(document) : await honoursPdf(document);
      const draft = document.provenance.draft ? '-草稿' : '';
      return {
        filename: `${fileSafe(header.name)}-荣誉推荐名单${draft}.${format}`,
        fallbackName: `honours${draft ? '-draft' : ''}.${format}`,
        type: TYPES[format],
        body,
        provenance: document.provenance,
      };
    },

    /** The event's scheme as stored (what `pnpm results --scheme FILE` reads), under the same rule. */
    async scheme(
      competitionId: string,
      eventId: string,
      roles: ReadonlySet<Role>,
    ): Promise<{ filename: string; scheme: SchemeInput; provenance: Provenance }> {
      return snapshot(competitionId, eventId, roles, ({ events, provenance }) => {
        const [e] = events as [ExportedEvent];
        return {
          filename: `${fileSafe(e.row.name)}.scheme.json`,
          scheme: e.row.scheme,
          provenance: provenance(eventAccess(e, roles).draft),
        };
      });
    },
  };
}

export type ExportsService = ReturnType<typeof createExportsService>;
