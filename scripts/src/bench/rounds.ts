/**
 * Generated rounds for the size benchmarks (issue 14): a machine-scored theory paper of a national online
 * contest, one "judge" (the machine) marking every question of every competitor. Deterministic, so runs compare.
 */
import { type EventMarkInput, parseScheme, type Scheme, type SchemeInput } from '@jiangxin/shared';

/** A paper of `questions` items (q1 … qN), each right (1) or wrong (0), on 100 points; ties to the later questions. */
export function theoryPaperInput(questions: number): SchemeInput {
  return {
    name: `理论知识考试（机考，${questions} 题）`,
    nameEn: `Theory paper (machine-scored, ${questions} questions)`,
    source: 'Generated for the size benchmarks (issue 14)',
    precision: 2,
    rounding: { at: 'total', mode: 'halfUp' },
    components: [
      {
        id: 'theory',
        name: '理论知识',
        nameEn: 'Theory',
        max: String(questions),
        normaliseTo: '100',
        aspects: Array.from({ length: questions }, (_, i) => ({
          kind: 'measurement' as const,
          id: `q${i + 1}`,
          name: `第 ${i + 1} 题`,
          nameEn: `Question ${i + 1}`,
          max: '1',
          mapping: { type: 'binary' as const },
        })),
      },
    ],
    rounds: [{ id: 'Final', name: '决赛' }],
    ranking: { tieBreaks: [{ by: `aspect:q${questions}`, prefer: 'higher' }] },
  };
}

export function theoryPaper(questions: number): Scheme {
  const parsed = parseScheme(theoryPaperInput(questions));
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return parsed.scheme;
}

/** Whether competitor c answered question q right: 40–89% of the paper by competitor, so totals and ties vary. */
export const answeredRight = (c: number, q: number) =>
  (Math.imul(c * 131 + q, 2654435761) >>> 0) % 100 < 40 + (c % 50);

/** The competitor's code: a workstation-like code, unique in the round. */
export const competitorCode = (c: number) => `T${String(c + 1).padStart(6, '0')}`;

/** Every mark of one round of the paper: `competitors` × `questions`, the machine as the only judge. */
export function theoryPaperMarks(competitors: number, questions: number): EventMarkInput[] {
  const marks: EventMarkInput[] = [];
  for (let c = 0; c < competitors; c++) {
    const competitor = competitorCode(c);
    for (let q = 1; q <= questions; q++)
      marks.push({
        round: 'Final',
        competitor,
        item: `q${q}`,
        judge: 'M',
        value: answeredRight(c, q) ? '1' : '0',
      });
  }
  return marks;
}
