import { aspectMax, type FieldError, parseScheme, type Scheme } from '@jiangxin/shared';

/**
 * Adjusting a scheme in the console: the fields an organizer changes (names, precision, and per judged aspect
 * the panel, range and step), read and written by the path the engine's `parseScheme` names its problems
 * with, so each problem shows next to its field. Pure.
 */

/** A scheme being edited: JSON as the API takes it (may be invalid while it is edited). */
export type SchemeDraft = Record<string, unknown>;

export interface EditableField {
  /** The dotted path of parseScheme's issues: `components.1.aspects.0.range.max`. */
  path: string;
  /** What the field is: a label key of the console's catalogue. */
  label: 'name' | 'precision' | 'panel' | 'min' | 'max' | 'step';
  numeric: boolean;
}

type Json = Record<string, unknown> | unknown[];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a dotted path, or undefined. */
export function valueAt(draft: unknown, path: string): unknown {
  let at: unknown = draft;
  for (const key of path.split('.')) {
    if (Array.isArray(at)) at = at[Number(key)];
    else if (isObject(at)) at = at[key];
    else return undefined;
  }
  return at;
}

/** A copy of the draft with the value at a dotted path replaced (the containers on the way copied). */
export function withValue(draft: SchemeDraft, path: string, value: unknown): SchemeDraft {
  const [key = '', ...rest] = path.split('.');
  const set = (container: Json, k: string, v: unknown): Json => {
    if (Array.isArray(container)) {
      const copy = [...container];
      copy[Number(k)] = v;
      return copy;
    }
    return { ...container, [k]: v };
  };
  const child = Array.isArray(draft) ? (draft as unknown[])[Number(key)] : draft[key];
  const next =
    rest.length === 0
      ? value
      : withValue(
          (isObject(child) || Array.isArray(child) ? child : {}) as SchemeDraft,
          rest.join('.'),
          value,
        );
  return set(draft, key, next) as SchemeDraft;
}

/** The fields the console offers for the scheme as it stands: its name, precision, and each judged aspect's. */
export function editableFields(draft: SchemeDraft): { path: string; fields: EditableField[] }[] {
  const groups: { path: string; fields: EditableField[] }[] = [
    {
      path: '',
      fields: [
        { path: 'name', label: 'name', numeric: false },
        { path: 'precision', label: 'precision', numeric: true },
      ],
    },
  ];
  const components = Array.isArray(draft.components) ? draft.components : [];
  components.forEach((component, c) => {
    const aspects = isObject(component) && Array.isArray(component.aspects) ? component.aspects : [];
    aspects.forEach((aspect, a) => {
      if (!isObject(aspect) || aspect.kind !== 'judgement') return;
      const at = `components.${c}.aspects.${a}`;
      groups.push({
        path: at,
        fields: [
          { path: `${at}.name`, label: 'name', numeric: false },
          { path: `${at}.panel`, label: 'panel', numeric: true },
          { path: `${at}.range.min`, label: 'min', numeric: false },
          { path: `${at}.range.max`, label: 'max', numeric: false },
          { path: `${at}.step`, label: 'step', numeric: false },
        ],
      });
    });
  });
  return groups;
}

/** The problems of a field: those whose path is the field's (or lies inside it). */
export function problemsAt(errors: readonly FieldError[], path: string): FieldError[] {
  return errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`));
}

/** The problems no offered field shows (the rest of the scheme): listed under the editor. */
export function otherProblems(errors: readonly FieldError[], paths: readonly string[]): FieldError[] {
  return errors.filter((e) => !paths.some((p) => e.path === p || e.path.startsWith(`${p}.`)));
}

/** The score sheet of a scheme: one column an aspect, with its full mark and what a judge writes. */
export interface SheetColumn {
  component: string;
  componentEn: string | null;
  id: string;
  name: string;
  nameEn: string | null;
  kind: Scheme['components'][number]['aspects'][number]['kind'];
  /** The aspect's full mark, when it has one. */
  max: string | null;
  /** How many judges mark it (1 for a deduction, a check or a machine score). */
  panel: number;
  step: string | null;
}

export function sheetColumns(scheme: Scheme): SheetColumn[] {
  return scheme.components.flatMap((component) =>
    component.aspects.map((aspect) => {
      const max = aspectMax(aspect);
      return {
        component: component.name,
        componentEn: component.nameEn ?? null,
        id: aspect.id,
        name: aspect.name,
        nameEn: aspect.nameEn ?? null,
        kind: aspect.kind,
        max: max.isZero() ? null : max.toString(),
        panel: aspect.kind === 'judgement' || aspect.kind === 'measurement' ? aspect.panel : 1,
        step: 'step' in aspect && typeof aspect.step === 'string' ? aspect.step : null,
      };
    }),
  );
}

/** The draft checked by the engine: the scheme, or every problem with its path. */
export const checkDraft = (draft: SchemeDraft) => parseScheme(draft);
