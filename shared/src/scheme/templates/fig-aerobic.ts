import type { SchemeInput } from '../schema';

/** An A or E panel: 4 judges, the middle two averaged if within FIG's tolerance, else all four. */
const fourJudgePanel = (id: string, name: string, nameEn: string) => ({
  kind: 'judgement' as const,
  id,
  name,
  nameEn,
  panel: 4,
  range: { min: '0', max: '10' },
  step: '0.1',
  aggregation: { method: 'mean' as const, dropHighest: 1, dropLowest: 1 },
  tolerance: {
    bands: [
      { atLeast: '0', maxSpread: '0.6' },
      { atLeast: '6', maxSpread: '0.5' },
      { atLeast: '7', maxSpread: '0.4' },
      { atLeast: '8', maxSpread: '0.3' },
    ],
    fallback: { method: 'mean' as const, dropHighest: 0, dropLowest: 0 },
  },
});

/**
 * FIG aerobic gymnastics (竞技健美操), scoring chapter of the FIG Aerobic Gymnastics Code of Points.
 *
 * - Artistic (A) and Execution (E) are each marked out of 10.0 in tenths by a panel of 4 judges. The highest
 *   and lowest marks are dropped and the middle two averaged, provided the two middle marks lie within the
 *   tolerance of the band the score falls in: 10.00–8.00 → 0.3, 7.99–7.00 → 0.4, 6.99–6.00 → 0.5,
 *   5.99–0.00 → 0.6. Otherwise the average of all four marks is the score. The band is chosen by the
 *   middle-two average, so the rule is not monotonic: raising one judge's mark can push the middle two out
 *   of tolerance and lower the score (5.0, 8.0, 8.3, 8.4 → 8.15, but 5.0, 8.0, 8.4, 8.4 → 7.45).
 * - Difficulty (D) is the score the two D-judges agree on, divided by the category's coefficient and given
 *   with three decimals, cut off, not rounded (6.6 ÷ 1.8 = 3.666…  → 3.666). The coefficient is 2.0 for
 *   IM, IW, MP, TR (men) and GR (men), 1.8 for mixed TR/GR, 1.7 for women's TR/GR. It is modelled as the D
 *   component's normalisation: `normaliseTo` ÷ `max` = 10 ÷ 20 = 1 ÷ 2.0 (for 1.8 use max 18, for 1.7 max 17).
 * - Difficulty deductions (0.5 each) are NOT divided; with the line judges' (0.1 each time out of the area)
 *   and the Chair of Judges Panel's deductions they are taken off the total: FINAL = A + E + D − deductions.
 * - Results carry three decimals. Scores are truncated (`rounding: component, down`): only D can have more
 *   than three decimals (A and E are averages of two or four tenths, exact at 0.025), so this truncates D
 *   exactly as the Code says and leaves everything else untouched.
 * - Ties: the higher E, then A, then D score (tie-breaking rules introduced with the 2017–2020 Code; check
 *   the order against the edition in force). Qualification → final of the best 8, the final from zero.
 *
 * Parameters: the panel (4 judges; with 6, drop 2 highest and 2 lowest and fall back to the mean of all
 * six), the D coefficient (see above), the finalists (8), the deduction values.
 *
 * Not expressible in the schema, and so left to the Chair of Judges Panel: a missing judge's mark is
 * replaced by the average of the marks given; a difference of 1.0 or more between the extreme marks is
 * reviewed after the competition; the per-federation limit on finalists.
 */
export const figAerobic: SchemeInput = {
  id: 'fig-aerobic',
  name: '竞技健美操（FIG，艺术 + 完成 + 难度 ÷ 2 − 减分）',
  nameEn: 'Aerobic gymnastics (FIG: artistic + execution + difficulty ÷ 2 − deductions)',
  source:
    'FIG Aerobic Gymnastics Code of Points, chapter "Scoring – General principle" (multimedia Code of ' +
    'Points, fig-aerobic.com; 2025–2029 edition published there): A/E 4 judges, middle two averaged within ' +
    'the tolerance 0.3/0.4/0.5/0.6 by band, else the average of all scores; D agreed by 2 judges and divided ' +
    'by the coefficient 2.0/1.8/1.7, three digits (6.6 ÷ 1.8 = 3.666); difficulty deductions not divided; ' +
    'total A + E + D minus the D-judges’, line judges’ and Chair of Judges Panel’s deductions.',
  precision: 3,
  rounding: { at: 'component', mode: 'down' },
  components: [
    {
      id: 'artistic',
      name: '艺术分',
      nameEn: 'Artistic score',
      aspects: [fourJudgePanel('A', '艺术裁判评分', 'Artistic judges’ marks')],
    },
    {
      id: 'execution',
      name: '完成分',
      nameEn: 'Execution score',
      aspects: [fourJudgePanel('E', '完成裁判评分', 'Execution judges’ marks')],
    },
    {
      id: 'difficulty',
      name: '难度分（÷ 2.0）',
      nameEn: 'Difficulty score (÷ 2.0)',
      // normaliseTo ÷ max = 10 ÷ 20: the agreed D value divided by the coefficient 2.0.
      max: '20',
      normaliseTo: '10',
      aspects: [
        {
          kind: 'measurement',
          id: 'D',
          name: '难度裁判商定分',
          nameEn: 'Agreed difficulty value',
          max: '20',
          step: '0.1',
          mapping: { type: 'direct' },
        },
      ],
    },
    {
      id: 'penalties',
      name: '减分',
      nameEn: 'Deductions',
      aspects: [
        {
          kind: 'deduction',
          id: 'difficultyDeductions',
          name: '难度减分（次，每次 0.5，不除以系数）',
          nameEn: 'Difficulty deductions (count, 0.5 each, not divided)',
          per: '0.5',
        },
        {
          kind: 'deduction',
          id: 'lineDeductions',
          name: '视线裁判出界减分（次，每次 0.1）',
          nameEn: 'Line judges: out of the area (count, 0.1 each)',
          per: '0.1',
        },
        {
          kind: 'deduction',
          id: 'chairDeductions',
          name: '裁判长减分（分）',
          nameEn: 'Chair of Judges Panel deductions (points)',
          unit: '分',
          per: '1',
          step: '0.1',
        },
      ],
    },
  ],
  rounds: [
    { id: 'Qualification', name: '资格赛', advance: 8 },
    { id: 'Final', name: '决赛' },
  ],
  ranking: {
    tieBreaks: [
      { by: 'component:execution', prefer: 'higher' },
      { by: 'component:artistic', prefer: 'higher' },
      { by: 'component:difficulty', prefer: 'higher' },
    ],
  },
};
