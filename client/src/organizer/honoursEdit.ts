import {
  type FieldError,
  finalRecommendation,
  type HonourListCandidate,
  type HonourRuleSet,
  type HonoursListResponse,
  parseHonourRules,
} from '@jiangxin/shared';
import { type SchemeDraft, valueAt, withValue } from './schemeEdit';

/**
 * The honours review as data: the parameters an organizer edits in a rule set (read and written by the path
 * `parseHonourRules` names its problems with, so each problem shows beside its field), and the list grouped
 * per honour with what the organizer must decide. Pure.
 */

export interface RuleField {
  /** The dotted path of parseHonourRules' errors: `honours.0.conditions.2.mark`. */
  path: string;
  label: 'from' | 'to' | 'minEntrants' | 'passMark' | 'quota' | 'unitMinimum' | 'atLeast' | 'atMost';
  /** Whole numbers (places, counts) are sent as numbers; marks and shares as decimal text. */
  whole: boolean;
  /** The component of a pass mark, the share rule's subject. */
  detail?: string;
  /** The figure is a default the domain brief does not give: the organizer is expected to set it. */
  parameter: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The parameters of the rule set as it stands: per honour its places and figures, then the share rules. */
export function ruleFields(draft: SchemeDraft): { key: string; title: string; fields: RuleField[] }[] {
  const groups = list(draft.honours).map((h, i) => {
    const at = `honours.${i}`;
    const parameter = (v: unknown) => isObject(v) && v.parameter === true;
    const covers = isObject(h) ? h.covers : undefined;
    const fields: RuleField[] = [
      { path: `${at}.covers.from`, label: 'from', whole: true, parameter: parameter(covers) },
      { path: `${at}.covers.to`, label: 'to', whole: true, parameter: parameter(covers) },
    ];
    list(isObject(h) ? h.conditions : []).forEach((c, j) => {
      if (!isObject(c)) return;
      const path = `${at}.conditions.${j}`;
      if (c.kind === 'minEntrants')
        fields.push({ path: `${path}.count`, label: 'minEntrants', whole: true, parameter: parameter(c) });
      if (c.kind === 'passMark')
        fields.push({
          path: `${path}.mark`,
          label: 'passMark',
          whole: false,
          detail: String(c.component),
          parameter: parameter(c),
        });
      if (c.kind === 'quota')
        fields.push({ path: `${path}.max`, label: 'quota', whole: true, parameter: parameter(c) });
    });
    if (isObject(h) && isObject(h.unitMinimum))
      fields.push({
        path: `${at}.unitMinimum.count`,
        label: 'unitMinimum',
        whole: true,
        parameter: parameter(h.unitMinimum),
      });
    const title = isObject(h) ? String(h.name ?? h.id ?? at) : at;
    return { key: at, title, fields };
  });
  const shares: RuleField[] = list(draft.listRules).flatMap((r, k) => {
    if (!isObject(r)) return [];
    const label = r.atLeast !== undefined ? 'atLeast' : 'atMost';
    return [{ path: `listRules.${k}.${label}`, label, whole: false, detail: String(r.of), parameter: false }];
  });
  return shares.length ? [...groups, { key: 'listRules', title: '', fields: shares }] : groups;
}

/** A field's value as typed; whole numbers go in as numbers when they are digits, and an empty `to` is no limit. */
export function withField(draft: SchemeDraft, field: RuleField, text: string): SchemeDraft {
  const trimmed = text.trim();
  if (field.label === 'to' && trimmed === '') return withValue(draft, field.path, undefined);
  const value = field.whole && /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  return withValue(draft, field.path, value);
}

export const fieldText = (draft: SchemeDraft, path: string) => {
  const v = valueAt(draft, path);
  return v === undefined || v === null ? '' : String(v);
};

/** Every problem of the draft by path ('' for the whole set), in parseHonourRules' words. */
export function ruleProblems(draft: SchemeDraft): Map<string, string> {
  const parsed = parseHonourRules(draft);
  return problemsByPath(parsed.ok ? [] : parsed.errors);
}

export function problemsByPath(errors: readonly FieldError[]): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const e of errors) {
    const path = e.path === '(rules)' ? '' : e.path.replace(/^rules\./, '');
    byPath.set(path, byPath.has(path) ? `${byPath.get(path)}; ${e.message}` : e.message);
  }
  return byPath;
}

export interface HonourSection {
  id: string;
  name: string;
  nameEn: string;
  /** Candidates whose place the honour covers, or who are recommended either way (an override). */
  candidates: HonourListCandidate[];
  recommended: number;
}

/**
 * The list per honour, in the rule set's order: the candidates the honour covers (every condition listed),
 * and anyone recommended or overridden outside it; the others fail `place` and would only be noise.
 */
export function honourSections(
  list: HonoursListResponse,
  rules: Pick<HonourRuleSet, 'honours'> = list.ruleSet,
): HonourSection[] {
  return rules.honours.map((h) => {
    const candidates = list.candidates.filter(
      (c) =>
        c.honour === h.id &&
        (c.conditions.find((x) => x.id === 'place')?.passed !== false ||
          finalRecommendation(c) ||
          c.override !== undefined),
    );
    return {
      id: h.id,
      name: h.name,
      nameEn: h.nameEn,
      candidates,
      recommended: candidates.filter((c) => finalRecommendation(c)).length,
    };
  });
}

/** What the organizer must decide or know before publishing: ties left open, share rules broken, overrides set aside. */
export function warningsOf(list: HonoursListResponse) {
  return {
    ties: list.ties.filter((t) => t.resolution === 'organizerDecides'),
    shared: list.ties.filter((t) => t.resolution === 'shared'),
    listRules: list.listRules,
    setAside: list.overridesSetAside,
  };
}
