import { randomUUID } from 'node:crypto';
import {
  type CheckInResult,
  type CompetitorView,
  type EventView,
  finalRecommendation,
  type HonourListCandidate,
  type HonoursListResponse,
  type SkillLevel,
} from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { call, createWorld, judgeToken, type World } from './setup-fixtures';
import type { Seeded } from './support';

/**
 * Constructed competitions for the honours tests, built only through the API as an organizer would: the
 * competitors imported from a CSV with their records, one judge marking theory and practical, then the
 * chief judge's sign-off, the encryption officer's decryption and the publication.
 */

/** Theory 30% + practical 70%, each one sheet of 100, with a safety veto that disqualifies (一票否决). */
export const honoursScheme = {
  id: 'honours-test',
  name: '理论 30% + 实操 70%（安全一票否决）',
  nameEn: 'Theory 30% + practical 70% (safety veto)',
  source: 'the national workers’ rule, shortened for tests',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    {
      id: 'theory',
      name: '理论知识',
      nameEn: 'Theory',
      weight: '30',
      max: '100',
      normaliseTo: '100',
      aspects: [sheet('theoryPaper', '理论试卷', 'Theory paper')],
    },
    {
      id: 'practical',
      name: '技能操作',
      nameEn: 'Practical',
      weight: '70',
      max: '100',
      normaliseTo: '100',
      aspects: [
        sheet('practicalSheet', '实操评分表', 'Practical sheet'),
        { kind: 'veto', id: 'safety', name: '安全否决', nameEn: 'Safety veto', effect: 'disqualify' },
      ],
    },
  ],
  rounds: [{ id: 'Final', name: '决赛' }],
};

function sheet(id: string, name: string, nameEn: string) {
  return {
    kind: 'measurement',
    id,
    name,
    nameEn,
    unit: '分',
    max: '100',
    range: { min: '0', max: '100' },
    step: '0.5',
    mapping: { type: 'direct' },
  };
}

export interface Entrant {
  name: string;
  theory: string;
  practical: string;
  unit?: string;
  frontline?: boolean;
  unionMember?: boolean;
  skillLevel?: SkillLevel;
  unitHead?: boolean;
  veto?: boolean;
}

/** n entrants named `<prefix>01`…, best first (practical 95, 94 …), frontline union members of their own units. */
export function entrants(
  prefix: string,
  n: number,
  overrides: Partial<Record<number, Partial<Entrant>>> = {},
) {
  return Array.from(
    { length: n },
    (_, i): Entrant => ({
      name: `${prefix}${String(i + 1).padStart(2, '0')}`,
      theory: '90',
      practical: String(95 - i),
      unit: `${prefix}单位${i + 1}`,
      ...overrides[i + 1],
    }),
  );
}

export interface BuiltEvent {
  eventId: string;
  roundId: string;
  /** Every round of the event, in the scheme's order (the first is `roundId`, the one marked here). */
  roundIds: string[];
  /** Competitor ids and workstation codes by name. */
  ids: Map<string, string>;
  codes: Map<string, string>;
}

export interface Built extends World {
  C: string;
  judgeToken: string;
  events: Map<string, BuiltEvent>;
}

const yes = (b: boolean | undefined, otherwise: boolean) => ((b ?? otherwise) ? '是' : '否');

/** A competition of the given level and grade, its events registered, drawn and marked (not yet signed off). */
export async function buildCompetition(
  app: FastifyInstance,
  seed: Seeded,
  options: {
    level: string;
    grade?: 'I' | 'II' | 'III' | null;
    events: Record<string, Entrant[]>;
    /** The events' scheme (default `honoursScheme`); only its first round is marked here. */
    scheme?: unknown;
  },
): Promise<Built> {
  const world = await createWorld(app, seed, {
    name: `荣誉测试 ${options.level} ${options.grade ?? ''}`,
    level: options.level,
    grade: options.grade ?? null,
  });
  const C = `/api/competitions/${world.competitionId}`;
  const { organizer, encryptionOfficer } = world.tokens;
  const ok = async (res: { statusCode: number; body: string }) => {
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.body ? JSON.parse(res.body) : null;
  };
  const judge = await ok(
    await call(app, organizer, 'POST', `${C}/judges`, { name: '评委甲', unit: '裁判协会', region: '省' }),
  );
  const token = await judgeToken(app, world.competitionId, judge.id);
  const built = new Map<string, BuiltEvent>();
  for (const [name, people] of Object.entries(options.events)) {
    const event: EventView = await ok(
      await call(app, organizer, 'POST', `${C}/events`, { name, scheme: options.scheme ?? honoursScheme }),
    );
    const E = `${C}/events/${event.id}`;
    const csv = [
      '姓名,工作单位,地区,一线职工,工会会员,技能等级,单位负责人',
      ...people.map((p) =>
        [
          p.name,
          p.unit ?? `${p.name}的单位`,
          '本省',
          yes(p.frontline, true),
          yes(p.unionMember, true),
          p.skillLevel ?? '',
          yes(p.unitHead, false),
        ].join(','),
      ),
    ].join('\r\n');
    await ok(await call(app, organizer, 'POST', `${E}/competitors/import`, { format: 'csv', content: csv }));
    const registered: CompetitorView[] = await ok(await call(app, organizer, 'GET', `${E}/competitors`));
    const ids = new Map(registered.map((c) => [c.name, c.id]));
    const panel = await ok(await call(app, organizer, 'POST', `${E}/panels`, { name: `${name}裁判组` }));
    await ok(await call(app, organizer, 'PUT', `${C}/panels/${panel.id}/seats/J1`, { judgeId: judge.id }));
    await ok(await call(app, organizer, 'POST', `${E}/draw`));
    const roundId = event.rounds[0]?.id ?? '';
    const codes = new Map<string, string>();
    for (const p of people) {
      const checkedIn: CheckInResult = await ok(
        await call(app, encryptionOfficer, 'POST', `${C}/rounds/${roundId}/check-in`, {
          competitorId: ids.get(p.name),
        }),
      );
      codes.set(p.name, checkedIn.code);
      const marks: [string, string][] = [
        ['theoryPaper', p.theory],
        ['practicalSheet', p.practical],
        ...(p.veto ? ([['safety', '1']] as [string, string][]) : []),
      ];
      for (const [item, value] of marks)
        await ok(
          await call(app, token, 'POST', `${C}/rounds/${roundId}/marks`, {
            id: randomUUID(),
            workstation: checkedIn.code,
            item,
            value,
          }),
        );
    }
    built.set(name, { eventId: event.id, roundId, roundIds: event.rounds.map((r) => r.id), ids, codes });
  }
  return { ...world, C, judgeToken: token, events: built };
}

/** Signs the event's round (its first unless named) off, decrypts it and (unless told not to) publishes it. */
export async function closeRound(
  app: FastifyInstance,
  built: Built,
  event: string,
  publish = true,
  roundId = built.events.get(event)?.roundId ?? '',
) {
  const R = `${built.C}/rounds/${roundId}`;
  for (const [token, path, body] of [
    [built.tokens.chiefJudge, 'sign-off', { confirm: true, force: true, reason: '成绩已核对' }],
    [built.tokens.encryptionOfficer, 'decrypt', undefined],
    ...(publish ? [[built.tokens.chiefJudge, 'publish', undefined] as const] : []),
  ] as const) {
    const res = await call(app, token, 'POST', `${R}/${path}`, body);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
  }
}

export async function honoursList(app: FastifyInstance, built: Built, token = built.tokens.organizer) {
  const res = await call(app, token, 'GET', `${built.C}/honours`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as HonoursListResponse;
}

export async function putRules(app: FastifyInstance, built: Built, rules: unknown) {
  const res = await call(app, built.tokens.organizer, 'PUT', `${built.C}/honours/rules`, { rules });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export function candidate(
  list: HonoursListResponse,
  honour: string,
  competitor: string,
): HonourListCandidate {
  const found = list.candidates.find((c) => c.honour === honour && c.competitor === competitor);
  if (!found) throw new Error(`no candidate ${competitor} for ${honour}`);
  return found;
}

export const failed = (c: HonourListCandidate) => c.conditions.filter((x) => !x.passed).map((x) => x.id);
export const figure = (c: HonourListCandidate, id: string) => c.conditions.find((x) => x.id === id)?.figure;
/** The list as sent: the organizer's decision where one was made, else the rules'. */
export const recommended = (list: HonoursListResponse, honour: string) =>
  list.candidates.filter((c) => c.honour === honour && finalRecommendation(c)).map((c) => c.competitor);
