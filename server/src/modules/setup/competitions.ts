import type {
  CompetitionGrade,
  CompetitionLevel,
  CompetitionView,
  CreateCompetitionRequest,
  Role,
} from '@jiangxin/shared';
import { type Principal, rolesIn } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { audited } from '../audit/service';
import { actorOf, isoNow, type SetupDeps, unauthenticatedError } from './common';
import {
  type CompetitionRow,
  competitionsByIds,
  findCompetition,
  insertCompetition,
  membershipsOf,
} from './repository';

export function competitionView(row: CompetitionRow, roles: Iterable<Role>): CompetitionView {
  return {
    id: row.id,
    name: row.name,
    level: row.level as CompetitionLevel,
    grade: (row.grade as CompetitionGrade | null) ?? null,
    organizer: row.organizer,
    venue: row.venue,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    recusalByRegion: row.recusalByRegion,
    openScoring: row.openScoring,
    createdAt: isoNow(row.createdAt),
    roles: [...roles].filter((r) => r !== 'public').sort(),
  };
}

/** Only an organizer account of the union creates competitions: 401 without a token, 403 otherwise. */
export function assertMayCreate(
  principal: Principal,
): asserts principal is Extract<Principal, { kind: 'account' }> {
  if (principal.kind === 'public') throw unauthenticatedError();
  if (principal.kind !== 'account' || !principal.organizer) {
    throw new AppError(
      403,
      'forbidden',
      localized(
        '无权创建竞赛：需要主办方（组委会）账号',
        'not allowed: creating a competition needs an organizer account',
      ),
    );
  }
}

export function createCompetitionService({ writer }: SetupDeps) {
  const { db } = writer;
  return {
    /**
     * Creates a competition for an organizer account of the union, makes the creator its organizer, and
     * records it: all in one transaction.
     */
    async createCompetition(principal: Principal, body: CreateCompetitionRequest): Promise<CompetitionView> {
      assertMayCreate(principal);
      if (body.endsOn < body.startsOn) {
        throw new AppError(
          400,
          'dates_invalid',
          localized(
            `字段 endsOn：结束日期 ${body.endsOn} 早于开始日期 ${body.startsOn}`,
            `field "endsOn": the end date ${body.endsOn} is before the start date ${body.startsOn}`,
          ),
          { field: 'endsOn' },
        );
      }
      const row = await audited(writer, async (tx, audit) => {
        const created = await insertCompetition(tx, principal.accountId, body);
        await audit(created.id, {
          affects: 'competition',
          actor: actorOf(principal),
          action: 'competition.created',
          subject: `competition:${created.id}`,
          detail: {
            name: created.name,
            level: created.level,
            grade: created.grade,
            organizer: created.organizer,
            venue: created.venue,
            startsOn: created.startsOn,
            endsOn: created.endsOn,
            recusalByRegion: created.recusalByRegion,
            openScoring: created.openScoring,
          },
        });
        return created;
      });
      return competitionView(row, ['organizer']);
    },

    /** A competition as seen by one who holds these roles in it. */
    async getCompetition(competitionId: string, roles: Iterable<Role>): Promise<CompetitionView> {
      return competitionView(await findCompetition(db, competitionId), roles);
    },

    /** The competitions the caller holds a role in: an account's memberships, a device's one competition. */
    async listCompetitions(principal: Principal): Promise<CompetitionView[]> {
      if (principal.kind === 'public') throw unauthenticatedError();
      if (principal.kind !== 'account') {
        const roles = await rolesIn(writer, principal, principal.competitionId);
        const row = await findCompetition(db, principal.competitionId);
        return [competitionView(row, roles)];
      }
      const held = await membershipsOf(db, principal.accountId);
      const roles = new Map<string, Role[]>();
      for (const m of held)
        roles.set(m.competitionId, [...(roles.get(m.competitionId) ?? []), m.role as Role]);
      if (roles.size === 0) return [];
      const rows = await competitionsByIds(db, [...roles.keys()]);
      return rows.map((row) => competitionView(row, roles.get(row.id) ?? []));
    },
  };
}
