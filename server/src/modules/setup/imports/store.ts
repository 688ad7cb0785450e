import type {
  ImportRejection,
  ImportReport,
  ImportRequest,
  RecusalConflict,
  Routing,
} from '@jiangxin/shared';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../../db/client';
import { competitors, judges, teamMembers } from '../../../db/schema';
import type { Principal } from '../../../plugins/auth';
import { type Locale, localized } from '../../../plugins/errors';
import type { Writer } from '../../audit/service';
import { changeBy, type Recorder } from '../common';
import { DUPLICATE_ID, describeSeatConflicts } from '../people';
import { auditConflict, auditRouting, planCompetitors } from '../recusal';
import { applyPlan, findCompetition, lockEvent, panelsOfEvent } from '../repository';
import { type CheckedEntrant, rowsOf } from './teams';
import { type CheckedCompetitor, type CheckedImport, type CheckedJudge, rejection } from './validate';

/**
 * Storing an import: the checked rows are written in one transaction with one audit entry. A competitor's
 * row is still refused here when its ID number is already registered in the event, or when a judge of its
 * panel must recuse and no reserve can take the seat.
 */

/** Slices small enough for one statement's bound parameters (Postgres allows 65,535). */
function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** The ID-number hashes among `hashes` already registered in the event, by a competitor or a team member. */
async function registeredIds(tx: Executor, eventId: string, hashes: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const batch of batches(hashes, 1000)) {
    for (const table of [competitors, teamMembers]) {
      const rows = await tx
        .select({ hash: table.idNumberHash })
        .from(table)
        .where(
          and(eq(table.eventId, eventId), isNotNull(table.idNumberHash), inArray(table.idNumberHash, batch)),
        );
      for (const r of rows) if (r.hash) taken.add(r.hash);
    }
  }
  return taken;
}

/** The names of the competitors (teams) already registered in the event. */
async function registeredNames(tx: Executor, eventId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ name: competitors.name })
    .from(competitors)
    .where(eq(competitors.eventId, eventId));
  return new Set(rows.map((r) => r.name));
}

export function storeCompetitors(
  writer: Writer,
  principal: Principal,
  target: { competitionId: string; eventId: string; format: ImportRequest['format'] },
  checked: CheckedImport<CheckedEntrant>,
  locale: Locale,
): Promise<ImportReport> {
  return changeBy(writer, principal, target.competitionId, (tx, record) =>
    competitorsIn(tx, record, target, checked, locale),
  );
}

/** What a checked row registers of the competitor, as stored and as a preview shows it (the ID number masked). */
export function registration(c: CheckedCompetitor) {
  const { name, unit, region, frontline, unionMember, skillLevel, unitHead } = c;
  return {
    name,
    unit,
    region,
    frontline,
    unionMember,
    skillLevel,
    unitHead,
    idNumberMasked: c.identity?.masked ?? null,
  };
}

/** What an import of competitors would register and refuse: reads only, so a preview can ask it too. */
export interface CompetitorDecision {
  accepted: CheckedEntrant[];
  rejected: ImportRejection[];
  refusals: RecusalConflict[];
  routings: Routing[];
}

/**
 * Refuses the rows the database refuses (an ID number already registered in the event, a recusal no reserve
 * can take) and plans the recusal routings of the others; writes nothing.
 */
export async function decideCompetitors(
  tx: Executor,
  target: { competitionId: string; eventId: string },
  checked: CheckedImport<CheckedEntrant>,
  locale: Locale,
): Promise<CompetitorDecision> {
  const { competitionId, eventId } = target;
  const competition = await findCompetition(tx, competitionId);
  const rejected = [...checked.rejected];
  const people = (e: CheckedEntrant) => e.members ?? [e.entrant];
  const taken = await registeredIds(
    tx,
    eventId,
    checked.accepted.flatMap((e) => people(e).flatMap((c) => (c.identity ? [c.identity.hash] : []))),
  );
  const teamNames = checked.accepted.some((e) => e.members) ? await registeredNames(tx, eventId) : new Set();
  const panelSeatings = await panelsOfEvent(tx, eventId);
  const accepted: CheckedEntrant[] = [];
  const refusals: RecusalConflict[] = [];
  const routings: Routing[] = [];
  const team = (e: CheckedEntrant) => (e.members ? e.entrant.name : null);
  /** Refuses an entrant: its rows named in `own` get their own reason, a team's other rows name the team's. */
  const refuse = (e: CheckedEntrant, own: ImportRejection[]) => {
    rejected.push(...own);
    const name = team(e);
    for (const row of rowsOf(e))
      if (name !== null && !own.some((r) => r.row === row))
        rejected.push(
          rejection(
            row,
            'team',
            localized(
              `团队“${name}”有成员未能登记，整队未登记`,
              `a member of team "${name}" is refused, so the team is not registered`,
            ),
            locale,
          ),
        );
  };
  for (const e of checked.accepted) {
    const name = team(e);
    if (name !== null && teamNames.has(name)) {
      refuse(
        e,
        rowsOf(e).map((row) =>
          rejection(
            row,
            'team',
            localized(`团队“${name}”已在本赛项登记`, `team "${name}" is already registered in this event`),
            locale,
          ),
        ),
      );
      continue;
    }
    const duplicates = people(e).filter((c) => c.identity && taken.has(c.identity.hash));
    if (duplicates.length > 0) {
      refuse(
        e,
        duplicates.map((c) =>
          rejection(
            c.row,
            'idNumber',
            localized(`身份证号${DUPLICATE_ID['zh-CN']}`, `the ID number ${DUPLICATE_ID.en}`),
            locale,
          ),
        ),
      );
      continue;
    }
    const plan = planCompetitors(
      panelSeatings,
      [
        {
          id: e.entrant.id,
          unit: e.entrant.unit,
          region: e.entrant.region,
          entryNumber: null,
          ...(e.members ? { members: e.members } : {}),
        },
      ],
      competition.recusalByRegion,
      [],
    );
    if (plan.unroutable.length > 0) {
      refusals.push(...plan.unroutable);
      const field = plan.unroutable.some((u) => u.reason === 'sameUnit') ? 'unit' : 'region';
      const where = (l: Locale) => describeSeatConflicts(plan.unroutable, panelSeatings, l);
      const message = localized(
        `${name === null ? '' : `团队“${name}”`}须回避${where('zh-CN')}，而该裁判组没有可替换的无冲突备用裁判`,
        `${name === null ? '' : `team "${name}" `}must not be marked by ${where('en')}, and that panel has no reserve judge free of conflict`,
      );
      refuse(
        e,
        rowsOf(e).map((row) => rejection(row, field, message, locale)),
      );
      continue;
    }
    accepted.push(e);
    routings.push(...plan.routings);
  }
  rejected.sort((a, b) => a.row - b.row);
  return { accepted, rejected, refusals, routings };
}

async function competitorsIn(
  tx: Executor,
  record: Recorder,
  target: { competitionId: string; eventId: string; format: ImportRequest['format'] },
  checked: CheckedImport<CheckedEntrant>,
  locale: Locale,
): Promise<ImportReport> {
  const { eventId } = target;
  await lockEvent(tx, eventId);
  const { accepted, rejected, refusals, routings } = await decideCompetitors(tx, target, checked, locale);
  for (const batch of batches(accepted, 500)) {
    await tx.insert(competitors).values(
      batch.map(({ entrant: c }) => ({
        id: c.id,
        competitionId: target.competitionId,
        eventId,
        ...registration(c),
        idNumberHash: c.identity?.hash ?? null,
      })),
    );
  }
  const members = accepted.flatMap((e) =>
    (e.members ?? []).map((m, i) => ({
      competitorId: e.entrant.id,
      eventId,
      position: i + 1,
      ...registration(m),
      idNumberHash: m.identity?.hash ?? null,
    })),
  );
  for (const batch of batches(members, 500)) await tx.insert(teamMembers).values(batch);
  const teams = accepted.some((e) => e.members);
  await applyPlan(tx, [], routings);
  await record({
    affects: { eventId },
    action: 'competitors.imported',
    subject: `event:${eventId}`,
    detail: {
      format: target.format,
      accepted: accepted.flatMap((e) => rowsOf(e).map((row) => ({ row, competitorId: e.entrant.id }))),
      rejected: rejected.map((r) => ({ row: r.row, field: r.field })),
      routings: routings.map(auditRouting),
      recusalRefusals: refusals.map((r) => ({ ...auditConflict(r), competitorId: null })),
    },
  });
  const rows = accepted.reduce((n, e) => n + rowsOf(e).length, 0);
  return { accepted: rows, ...(teams ? { teams: accepted.length } : {}), rejected, routings };
}

export function storeJudges(
  writer: Writer,
  principal: Principal,
  target: { competitionId: string; format: ImportRequest['format'] },
  checked: CheckedImport<CheckedJudge>,
): Promise<ImportReport> {
  return changeBy(writer, principal, target.competitionId, (tx, record) =>
    judgesIn(tx, record, target, checked),
  );
}

async function judgesIn(
  tx: Executor,
  record: Recorder,
  target: { competitionId: string; format: ImportRequest['format'] },
  checked: CheckedImport<CheckedJudge>,
): Promise<ImportReport> {
  const { competitionId } = target;
  await findCompetition(tx, competitionId);
  for (const batch of batches(checked.accepted, 1000)) {
    await tx
      .insert(judges)
      .values(batch.map((j) => ({ id: j.id, competitionId, name: j.name, unit: j.unit, region: j.region })));
  }
  await record({
    affects: 'noStandings',
    action: 'judges.imported',
    subject: `competition:${competitionId}`,
    detail: {
      format: target.format,
      accepted: checked.accepted.map((j) => ({ row: j.row, judgeId: j.id })),
      rejected: checked.rejected.map((r) => ({ row: r.row, field: r.field })),
    },
  });
  return { accepted: checked.accepted.length, rejected: checked.rejected };
}
