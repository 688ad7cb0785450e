import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import type { CheckInResult, DrawResult, MappingEntry, Role, WorkstationsView } from '@jiangxin/shared';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { schemeOf } from '../../scoring/round';
import { changeBy, type SetupDeps } from './common';
import {
  competitorCount,
  competitorRefs,
  eventsSeating,
  findEvent,
  findRound,
  findRoundAndCompetitor,
  insertWorkstation,
  lockEvent,
  lockOpenRound,
  mappingOf,
  setEntryNumbers,
  workstationCodes,
  workstationOf,
} from './repository';

/**
 * The draw and the encryption (抽签 / 加密). The first draw gives each competitor of an event an entry
 * number (参赛号); at check-in (检录) a second draw gives them a workstation code (工位号) for the round,
 * which is all judges ever see. The mapping between the two is the encryption officer's (and the chief
 * judge's) until the round is signed off and decrypted.
 */

/** A fresh random seed for a draw (hex). */
export const freshSeed = () => randomBytes(32).toString('hex');

/** The seed's SHA-256, kept in the audit log as a commitment to the seed. */
export const seedHashOf = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** Ids in the order of HMAC-SHA256(seed, id): whoever holds the seed can recompute a draw. */
export function seededOrder(seed: string, ids: readonly string[]): string[] {
  const keyed = ids.map((id) => ({ id, key: createHmac('sha256', seed).update(id).digest('hex') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.id);
}

/**
 * The first draw: the competitors without an entry number get the lowest free numbers in a random order.
 * The order is derived from a fresh random seed (competitors sorted by HMAC-SHA256(seed, id)), so whoever
 * holds the seed can recompute the draw; the audit log keeps the seed's SHA-256 as a commitment.
 */
function drawEntryNumbers(
  { writer }: SetupDeps,
  principal: Principal,
  competitionId: string,
  eventId: string,
): Promise<DrawResult> {
  return changeBy(writer, principal, competitionId, async (tx, record) => {
    const event = await findEvent(tx, competitionId, eventId);
    await lockEvent(tx, event.id);
    const rows = await competitorRefs(tx, event.id);
    const undrawn = rows.filter((r) => r.entryNumber === null);
    if (undrawn.length === 0) return { seed: null, seedHash: null, assigned: [] };
    const taken = new Set(rows.flatMap((r) => (r.entryNumber === null ? [] : [r.entryNumber])));
    const free: number[] = [];
    for (let n = 1; free.length < undrawn.length; n++) if (!taken.has(n)) free.push(n);
    const seed = freshSeed();
    const seedHash = seedHashOf(seed);
    const order = seededOrder(
      seed,
      undrawn.map((c) => c.id),
    );
    const assigned = order.map((id, i) => ({ competitorId: id, entryNumber: free[i] ?? 0 }));
    await setEntryNumbers(tx, assigned);
    await record({
      affects: { eventId: event.id },
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
function checkIn(
  { writer, hmac }: SetupDeps,
  principal: Principal,
  ids: { competitionId: string; roundId: string; competitorId: string },
): Promise<CheckInResult> {
  return changeBy(writer, principal, ids.competitionId, async (tx, record) => {
    const { round, event, competitor } = await findRoundAndCompetitor(tx, ids, { field: 'competitorId' });
    await lockOpenRound(tx, round.id);
    const already = await workstationOf(tx, round.id, competitor.id);
    if (already !== null)
      return { roundId: round.id, competitorId: competitor.id, code: already, alreadyCheckedIn: true };
    const taken = new Set(await workstationCodes(tx, round.id));
    const total = (await competitorCount(tx, event.id)) ?? 1;
    const scheme = schemeOf(event.id, event.scheme);
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
    await insertWorkstation(tx, round.id, competitor.id, code);
    await record({
      affects: { roundId: round.id },
      action: 'round.checkedIn',
      subject: `round:${round.id}`,
      detail: {
        competitorId: competitor.id,
        // The code itself would reveal the mapping to whoever reads the log: only its keyed hash is kept.
        codeHmac: hmac(`workstation:${round.id}:${code}`),
      },
    });
    return { roundId: round.id, competitorId: competitor.id, code, alreadyCheckedIn: false };
  });
}

/**
 * The mapping of a round: always for the encryption officer and the chief judge; for the organizer only
 * once the round is signed off and decrypted.
 */
async function roundMapping(
  { writer }: SetupDeps,
  held: ReadonlySet<Role>,
  competitionId: string,
  roundId: string,
): Promise<MappingEntry[]> {
  const { round } = await findRound(writer.db, competitionId, roundId);
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
  return mappingOf(writer.db, round.id);
}

/** The workstation codes of a round, and nothing else; a judge must sit on a panel of the event. */
async function roundWorkstations(
  { writer }: SetupDeps,
  principal: Principal,
  held: ReadonlySet<Role>,
  competitionId: string,
  roundId: string,
): Promise<WorkstationsView> {
  const { round, event } = await findRound(writer.db, competitionId, roundId);
  const staff = (['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper'] as const).some((r) =>
    held.has(r),
  );
  if (!staff) {
    const seated =
      principal.kind === 'judge' &&
      (await eventsSeating(writer.db, principal.judgeId, [event.id])).has(event.id);
    if (!seated) {
      throw new AppError(
        403,
        'not_on_panel',
        localized('你不在此赛项的任何裁判组中', 'you do not sit on any panel of this event'),
      );
    }
  }
  return { roundId: round.id, codes: await workstationCodes(writer.db, round.id) };
}

export function createDrawService(deps: SetupDeps) {
  return {
    drawEntryNumbers: (principal: Principal, competitionId: string, eventId: string) =>
      drawEntryNumbers(deps, principal, competitionId, eventId),
    checkIn: (principal: Principal, ids: { competitionId: string; roundId: string; competitorId: string }) =>
      checkIn(deps, principal, ids),
    roundMapping: (held: ReadonlySet<Role>, competitionId: string, roundId: string) =>
      roundMapping(deps, held, competitionId, roundId),
    roundWorkstations: (
      principal: Principal,
      held: ReadonlySet<Role>,
      competitionId: string,
      roundId: string,
    ) => roundWorkstations(deps, principal, held, competitionId, roundId),
  };
}
