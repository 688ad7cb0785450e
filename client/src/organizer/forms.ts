import type { CreateCompetitionRequest } from '@jiangxin/shared';
import { ApiError } from '../common/api/http';

/**
 * What the console checks before sending a form (so the organizer sees every missing field at once, next to
 * it), and where a refusal of the server goes: next to the field it names, else under the form. Pure.
 */

export type CompetitionDraft = Required<Omit<CreateCompetitionRequest, 'grade'>> & {
  grade: CreateCompetitionRequest['grade'];
};

export type FormProblem = 'required' | 'endsBeforeStarts';

const REQUIRED = ['name', 'organizer', 'venue', 'startsOn', 'endsOn'] as const;

export function competitionProblems(
  draft: CompetitionDraft,
): Partial<Record<keyof CompetitionDraft, FormProblem>> {
  const problems: Partial<Record<keyof CompetitionDraft, FormProblem>> = {};
  for (const field of REQUIRED) if (draft[field].trim() === '') problems[field] = 'required';
  if (!problems.startsOn && !problems.endsOn && draft.endsOn < draft.startsOn)
    problems.endsOn = 'endsBeforeStarts';
  return problems;
}

/** The field a refusal is about (the top-level name: `endsOn`, `scheme`), or null for the form as a whole. */
export function refusedField(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  return error.field.split('.')[0] ?? null;
}
