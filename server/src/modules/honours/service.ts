import {
  type CompetitionGrade,
  type CompetitionLevel,
  competitionClassOf,
  defaultHonourTemplate,
  getHonourTemplate,
  type HonourOverrideRequest,
  type HonourRuleSet,
  type HonourRulesResponse,
  type HonoursListResponse,
  type HonourTemplateSummary,
  honourTemplateInputs,
  honourTemplateNames,
  type PutHonourRulesRequest,
  parseHonourRules,
  type Role,
} from '@jiangxin/shared';
import type { Change } from '../../changes';
import type { Executor } from '../../db/client';
import { AppError, localized } from '../../plugins/errors';
import { type Audit, audited, type Writer } from '../audit/service';
import {
  type ComputedList,
  computeList,
  failedConditions,
  ruleSetInForce,
  subjectOfCompetitor,
  subjectOfUnit,
} from './list';
import {
  findCompetition,
  findCompetitor,
  insertOverride,
  lockSettings,
  publishedRounds,
  settingsOf,
  updateSettings,
} from './repository';

/**
 * Honours (issue 11): a competition's rule set, the recommendation list computed from published standings,
 * the organizer's overrides with reasons, publication. Every write records the list's version and hash in
 * its audit entry; a change of results (a correction, a competitor's record) that changes the list is
 * recorded by `resultsChanged` as `honours.listChanged`.
 */

const templateUnknown = (name: string) =>
  new AppError(
    400,
    'honour_template_unknown',
    localized(
      `字段 rules：没有名为“${name}”的荣誉评定模板；现有模板：${honourTemplateNames.join('、')}`,
      `field "rules": there is no honour template named "${name}"; the templates are: ${honourTemplateNames.join(', ')}`,
    ),
    { field: 'rules', templates: honourTemplateNames },
  );

function rulesInvalid(errors: { path: string; message: string }[]) {
  const named = errors.map((e) => ({ path: `rules.${e.path}`, message: e.message }));
  const shown = named.slice(0, 10).map((e) => `${e.path}: ${e.message}`);
  return new AppError(
    400,
    'honour_rules_invalid',
    localized(
      `字段 rules：荣誉评定规则有 ${named.length} 处错误：${shown.join('；')}`,
      `field "rules": the honour rule set has ${named.length} error(s): ${shown.join('; ')}`,
    ),
    { field: 'rules', errors: named },
  );
}

const notPublished = () =>
  new AppError(
    403,
    'honours_not_published',
    localized(
      '荣誉推荐名单尚未由组委会公布',
      'the honour recommendation list has not been published by the organizer',
    ),
  );

export function listTemplates(): HonourTemplateSummary[] {
  return honourTemplateNames.flatMap((name) => {
    const rules = getHonourTemplate(name);
    const input = honourTemplateInputs[name];
    if (!rules || !input) return [];
    return [
      {
        name,
        title: rules.name,
        titleEn: rules.nameEn,
        source: rules.source,
        competitionClass: rules.competitionClass ?? null,
        rules,
      },
    ];
  });
}

/** The list's version and hash after `work`: bumped and returned for the audit entry when it changed. */
async function recordList(tx: Executor, competitionId: string) {
  const settings = await lockSettings(tx, competitionId);
  const list = await computeList(tx, competitionId);
  const changed = settings.listHash !== list.hash;
  const version = changed ? settings.listVersion + 1 : settings.listVersion;
  if (changed) await updateSettings(tx, competitionId, { listVersion: version, listHash: list.hash });
  return { list, detail: { version, hash: list.hash, previousHash: settings.listHash, changed } };
}

export function createHonoursService(writer: Writer, onError: (error: unknown) => void) {
  const { db } = writer;
  const actor = (accountId: string) => `account:${accountId}`;
  /** Per competition: the last recording queued, and the changes of the one not yet started (coalesced). */
  const tails = new Map<string, Promise<void>>();
  const waiting = new Map<string, Change[]>();

  /** Records the list in the audit log if results or records changed it (the `system` as actor). */
  async function recordIfChanged(competitionId: string, changes: readonly Change[]) {
    const roundIds = changes.flatMap((c) => ('roundId' in c ? [c.roundId] : []));
    const published = new Set(await publishedRounds(db, roundIds));
    const causes = [
      ...new Map(
        changes
          .filter((c) => !('roundId' in c) || published.has(c.roundId))
          .map((c) => [JSON.stringify(c), { ...c }]),
      ).values(),
    ];
    // Marks of rounds not yet published change no honours: one query, no transaction.
    if (causes.length === 0) return;
    await audited(writer, async (tx, audit: Audit) => {
      // Under the audit chain's lock: one recording at a time, over the state committed.
      await audit.lockChain(competitionId);
      const settings = await settingsOf(tx, competitionId);
      let list: ComputedList;
      try {
        list = await computeList(tx, competitionId);
      } catch (error) {
        if (error instanceof AppError && error.code === 'honour_rules_not_chosen') return;
        throw error;
      }
      if (!settings && !list.anyComputed) return;
      if (settings?.listHash === list.hash) return;
      const { detail } = await recordList(tx, competitionId);
      if (!detail.changed) return;
      await audit(competitionId, {
        affects: 'noStandings',
        actor: 'system',
        action: 'honours.listChanged',
        subject: `honours:${competitionId}`,
        detail: { list: detail, causes },
      });
    });
  }

  return {
    templates: listTemplates,

    async rules(competitionId: string): Promise<HonourRulesResponse> {
      const competition = await findCompetition(db, competitionId);
      const level = competition.level as CompetitionLevel;
      const grade = (competition.grade as CompetitionGrade | null) ?? null;
      const competitionClass = competitionClassOf(level, grade);
      const inForce = ruleSetInForce(await settingsOf(db, competitionId), level, grade);
      return {
        competitionClass,
        defaultTemplate: defaultHonourTemplate(level, competitionClass),
        template: inForce?.template ?? null,
        stored: inForce?.stored ?? false,
        rules: inForce?.rules ?? null,
      };
    },

    /** PUT …/honours/rules (organizer): a template by name, or an edited rule set, validated whole. */
    async putRules(competitionId: string, accountId: string, body: PutHonourRulesRequest) {
      await findCompetition(db, competitionId);
      let rules: HonourRuleSet;
      let template: string | null;
      if (typeof body.rules === 'string') {
        const found = getHonourTemplate(body.rules);
        if (!found) throw templateUnknown(body.rules);
        rules = found;
        template = body.rules;
      } else {
        const parsed = parseHonourRules(body.rules);
        if (!parsed.ok) throw rulesInvalid(parsed.errors);
        rules = parsed.rules;
        template = honourTemplateNames.includes(rules.id) ? rules.id : null;
      }
      await audited(writer, async (tx, audit) => {
        await audit.lockChain(competitionId);
        await lockSettings(tx, competitionId);
        await updateSettings(tx, competitionId, { rules, template });
        const { detail } = await recordList(tx, competitionId);
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actor(accountId),
          action: 'honours.rulesSet',
          subject: `honours:${competitionId}`,
          detail: { ruleSet: rules.id, template, honours: rules.honours.map((h) => h.id), list: detail },
        });
      });
      return this.rules(competitionId);
    },

    /** GET …/honours: the chief judge and the organizer always; everyone else once the organizer published it. */
    async list(competitionId: string, roles: ReadonlySet<Role>): Promise<HonoursListResponse> {
      const privileged = roles.has('organizer') || roles.has('chiefJudge');
      const settings = await settingsOf(db, competitionId);
      if (!privileged && !settings?.publishedAt) {
        await findCompetition(db, competitionId);
        throw notPublished();
      }
      const { settings: _, anyComputed: __, rules: ___, ...list } = await computeList(db, competitionId);
      return {
        ...list,
        recorded: {
          version: settings?.listVersion ?? 0,
          hash: settings?.listHash ?? null,
          current: settings?.listHash === list.hash,
        },
        publishedAt: settings?.publishedAt?.toISOString() ?? null,
      };
    },

    /** POST …/honours/overrides (organizer): a decision against the rules, with its reason, audited. */
    async override(competitionId: string, accountId: string, body: HonourOverrideRequest) {
      const before = await computeList(db, competitionId);
      const honour = before.rules.honours.find((h) => h.id === body.honour);
      if (!honour)
        throw new AppError(
          400,
          'honour_unknown',
          localized(
            `字段 honour：荣誉评定规则中没有“${body.honour}”`,
            `field "honour": the rule set has no honour "${body.honour}"`,
          ),
          { field: 'honour' },
        );
      const unitHonour = honour.recipient === 'unit';
      if (unitHonour !== (body.unit !== undefined)) {
        const field = unitHonour ? 'unit' : 'competitorId';
        throw new AppError(
          400,
          'honour_subject_mismatch',
          localized(
            `字段 ${field}：“${honour.id}”${unitHonour ? '授予单位，请给出 unit' : '授予个人，请给出 competitorId'}`,
            `field "${field}": "${honour.id}" goes to ${unitHonour ? 'a unit: give unit' : 'a competitor: give competitorId'}`,
          ),
          { field },
        );
      }
      if (body.competitorId) await findCompetitor(db, competitionId, body.competitorId);
      const subject = body.competitorId
        ? subjectOfCompetitor(body.competitorId)
        : subjectOfUnit(body.unit ?? '');
      const candidate = before.candidates.find(
        (c) =>
          c.honour === honour.id &&
          (body.competitorId
            ? c.competitorId === body.competitorId
            : c.recipient === 'unit' && c.competitor === body.unit),
      );
      if (!candidate)
        throw new AppError(
          409,
          'honour_candidate_unknown',
          localized(
            '该选手或单位不在已公布成绩计算出的候选名单中',
            'this competitor or unit is not a candidate of the list computed from the published results',
          ),
        );
      const list = await audited(writer, async (tx, audit) => {
        await audit.lockChain(competitionId);
        await lockSettings(tx, competitionId);
        const stored = await insertOverride(tx, {
          competitionId,
          honour: honour.id,
          subject,
          recommended: body.recommended,
          reason: body.reason,
          failedConditions: failedConditions(candidate),
          decidedBy: actor(accountId),
        });
        const recorded = await recordList(tx, competitionId);
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actor(accountId),
          action: 'honours.overridden',
          subject,
          detail: {
            override: stored.id,
            honour: honour.id,
            recommended: body.recommended,
            byRules: candidate.recommended,
            failedConditions: failedConditions(candidate),
            reason: body.reason,
            list: recorded.detail,
          },
        });
        return recorded.list;
      });
      const shown = list.candidates.filter(
        (c) =>
          c.honour === honour.id &&
          (body.competitorId ? c.competitorId === body.competitorId : c.competitor === body.unit),
      );
      return { candidates: shown, hash: list.hash };
    },

    /** POST …/honours/publish (organizer): the list becomes readable by every role; audited with its hash. */
    async publish(competitionId: string, accountId: string) {
      return audited(writer, async (tx, audit) => {
        await audit.lockChain(competitionId);
        const settings = await lockSettings(tx, competitionId);
        if (settings.publishedAt)
          throw new AppError(
            409,
            'honours_already_published',
            localized('荣誉推荐名单已公布', 'the honour recommendation list is already published'),
          );
        const { list, detail } = await recordList(tx, competitionId);
        if (!list.anyComputed)
          throw new AppError(
            409,
            'honours_nothing_published',
            localized(
              '尚无已公布且已解密的赛项成绩，无法公布荣誉推荐名单',
              'no event has published, decrypted results yet: there is no list to publish',
            ),
          );
        const publishedAt = new Date();
        await updateSettings(tx, competitionId, { publishedAt });
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actor(accountId),
          action: 'honours.published',
          subject: `honours:${competitionId}`,
          detail: { list: detail },
        });
        return { publishedAt: publishedAt.toISOString(), version: detail.version, hash: detail.hash };
      });
    },

    /**
     * After a committed change: queue a re-recording of the competition's list, one at a time per
     * competition; changes arriving while one waits join it (a burst of marks costs one query).
     */
    resultsChanged(change: Change) {
      const { competitionId } = change;
      const joined = waiting.get(competitionId);
      if (joined) {
        joined.push(change);
        return;
      }
      const changes = [change];
      waiting.set(competitionId, changes);
      const next = (tails.get(competitionId) ?? Promise.resolve())
        .then(() => {
          waiting.delete(competitionId);
          return recordIfChanged(competitionId, changes);
        })
        .catch(onError);
      tails.set(competitionId, next);
      void next.then(() => {
        if (tails.get(competitionId) === next) tails.delete(competitionId);
      });
    },

    /** Waits for every queued re-recording (tests, shutdown). */
    async settle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

export type HonoursService = ReturnType<typeof createHonoursService>;
