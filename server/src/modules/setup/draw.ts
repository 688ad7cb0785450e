import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import type { CheckInResult, DrawResult, MappingEntry, Role, WorkstationsView } from '@jiangxin/shared';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitors, rounds, workstations } from '../../db/schema';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { roundSignedOff } from '../../refusals';
import { audited } from '../audit/service';
import { actorOf, findCompetitor, findEvent, findRound, lockEvent, schemeOf } from './common';
import { eventsSeating } from './panels';

/**
 * The draw and the encryption (抽签 / 加密). The first draw gives each competitor of an event an entry
 * number (参赛号); at check-in (检录) a second draw gives them a workstation code (工位号) for the round,
 * which is all judges ever see. The mapping between the two is the encryption officer's (and the chief
 * judge's) until the round is signed off and decrypted.
 */

/**
 * The first draw: the competitors without an entry number get the lowest free numbers in a random order.
 * The order is derived from a fresh random seed (competitors sorted by HMAC-SHA256(seed, id)), so whoever
 * holds the seed can recompute the draw; the audit log keeps the seed's SHA-256 as a commitment.
 */
export async function drawEntryNumbers(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  eventId: string,
): Promise<DrawResult> {
  return audited(app, async (tx, audit) => {
    const event = await findEvent(tx, competitionId, eventId);
    await lockEvent(tx, event.id);
    const rows = await tx
      .select({ id: competitors.id, entryNumber: competitors.entryNumber })
      .from(competitors)
      .where(eq(competitors.eventId, event.id));
    const undrawn = rows.filter((r) => r.entryNumber === null);
    if (undrawn.length === 0) return { seed: null, seedHash: null, assigned: [] };
    const taken = new Set(rows.flatMap((r) => (r.entryNumber === null ? [] : [r.entryNumber])));
    const free: number[] = [];
    for (let n = 1; free.length < undrawn.length; n++) if (!taken.has(n)) free.push(n);
    const seed = randomBytes(32).toString('hex');
    const seedHash = createHash('sha256').update(seed).digest('hex');
    const keyed = undrawn.map((c) => ({
      id: c.id,
      key: createHmac('sha256', seed).update(c.id).digest('hex'),
    }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const assigned = keyed.map((c, i) => ({ competitorId: c.id, entryNumber: free[i] ?? 0 }));
    for (let i = 0; i < assigned.length; i += 1000) {
      const values = sql.join(
        assigned.slice(i, i + 1000).map((a) => sql`(${a.competitorId}::uuid, ${a.entryNumber}::integer)`),
        sql`, `,
      );
      await tx.execute(
        sql`update competitors set entry_number = v.n from (values ${values}) as v(id, n) where competitors.id = v.id`,
      );
    }
    await audit(competitionId, {
      affects: { eventId: event.id },
      actor: actorOf(principal),
      action: 'draw.entryNumbers',
      subject: `event:${event.id}`,
      detail: {
        seedHash,
        method:
          'competitors sorted by HMAC-SHA256(seed, competitorId), given the lowest free numbers in order',
        assigned,
      },
    });
    assigned.sort((a, b) => a.entryNumber - b.entryNumber);
    return { seed, seedHash, assigned };
  });
}

/** The workstation codes of a round: A01, A02 … (three digits from 100 competitors on). */
export function workstationCode(n: number, width: number): string {
  return `A${String(n).padStart(width, '0')}`;
}

/**
 * Check-in: draws a random free workstation code for the competitor in the round. The pool holds as many
 * codes as competitors can reach the round (the event's competitors, or the number the previous round
 * advances), never fewer than are already drawn plus one. Checking in again answers the code drawn before.
 */
export async function checkIn(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  roundId: string,
  competitorId: string,
): Promise<CheckInResult> {
  return audited(app, async (tx, audit) => {
    const { round, event } = await findRound(tx, competitionId, roundId);
    const competitor = await findCompetitor(tx, competitionId, competitorId);
    if (competitor.eventId !== event.id) {
      throw new AppError(
        404,
        'competitor_not_in_event',
        localized('该选手不属于此场次所在的赛项', 'the competitor is not in the event of this round'),
        { field: 'competitorId' },
      );
    }
    const [locked] = await tx
      .select({ signedOffAt: rounds.signedOffAt })
      .from(rounds)
      .where(eq(rounds.id, round.id))
      .for('update');
    if (locked?.signedOffAt) throw roundSignedOff();
    const [already] = await tx
      .select({ code: workstations.code })
      .from(workstations)
      .where(and(eq(workstations.roundId, round.id), eq(workstations.competitorId, competitor.id)));
    if (already)
      return { roundId: round.id, competitorId: competitor.id, code: already.code, alreadyCheckedIn: true };
    const takenRows = await tx
      .select({ code: workstations.code })
      .from(workstations)
      .where(eq(workstations.roundId, round.id));
    const taken = new Set(takenRows.map((r) => r.code));
    const [entrants] = await tx
      .select({ n: count() })
      .from(competitors)
      .where(eq(competitors.eventId, event.id));
    const total = entrants?.n ?? 1;
    const scheme = schemeOf(event);
    const index = scheme.rounds.findIndex((r) => r.id === round.key);
    const advancing = index > 0 ? scheme.rounds[index - 1]?.advance : undefined;
    const pool = Math.max(Math.min(total, advancing ?? total), taken.size + 1);
    const width = Math.max(2, String(Math.max(total, pool)).length);
    const free: string[] = [];
    for (let n = 1; n <= pool; n++) {
      const code = workstationCode(n, width);
      if (!taken.has(code)) free.push(code);
    }
    const code = free[randomInt(free.length)] ?? workstationCode(pool, width);
    await tx.insert(workstations).values({ roundId: round.id, competitorId: competitor.id, code });
    await audit(competitionId, {
      affects: { roundId: round.id },
      actor: actorOf(principal),
      action: 'round.checkedIn',
      subject: `round:${round.id}`,
      detail: {
        competitorId: competitor.id,
        // The code itself would reveal the mapping to whoever reads the log: only its keyed hash is kept.
        codeHmac: app.hmac(`workstation:${round.id}:${code}`),
      },
    });
    return { roundId: round.id, competitorId: competitor.id, code, alreadyCheckedIn: false };
  });
}

/**
 * The mapping of a round: always for the encryption officer and the chief judge; for the organizer only
 * once the round is signed off and decrypted.
 */
export async function roundMapping(
  app: FastifyInstance,
  held: Set<Role>,
  competitionId: string,
  roundId: string,
): Promise<MappingEntry[]> {
  const { round } = await findRound(app.db, competitionId, roundId);
  if (!held.has('encryptionOfficer') && !held.has('chiefJudge')) {
    if (!round.signedOffAt || !round.decryptedAt) {
      throw new AppError(
        403,
        'mapping_sealed',
        localized(
          '该场次尚未签字确认并解密：选手与工位号的对应关系只有加密裁判和裁判长可以查看',
          'the round is not yet signed off and decrypted: only the encryption officer and the chief judge may read which competitor has which workstation',
        ),
      );
    }
  }
  return app.db
    .select({
      code: workstations.code,
      competitorId: competitors.id,
      entryNumber: competitors.entryNumber,
      name: competitors.name,
      unit: competitors.unit,
      region: competitors.region,
    })
    .from(workstations)
    .innerJoin(competitors, eq(competitors.id, workstations.competitorId))
    .where(eq(workstations.roundId, round.id))
    .orderBy(asc(workstations.code));
}

/** The workstation codes of a round, and nothing else; a judge must sit on a panel of the event. */
export async function roundWorkstations(
  app: FastifyInstance,
  principal: Principal,
  held: Set<Role>,
  competitionId: string,
  roundId: string,
): Promise<WorkstationsView> {
  const { round, event } = await findRound(app.db, competitionId, roundId);
  const staff = (['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper'] as const).some((r) =>
    held.has(r),
  );
  if (!staff) {
    const seated =
      principal.kind === 'judge' &&
      (await eventsSeating(app.db, principal.judgeId, [event.id])).has(event.id);
    if (!seated) {
      throw new AppError(
        403,
        'not_on_panel',
        localized('你不在此赛项的任何裁判组中', 'you do not sit on any panel of this event'),
      );
    }
  }
  const rows = await app.db
    .select({ code: workstations.code })
    .from(workstations)
    .where(eq(workstations.roundId, round.id))
    .orderBy(asc(workstations.code));
  return { roundId: round.id, codes: rows.map((r) => r.code) };
}
