import type { SchemeInput } from '../schema';
import { machineScoredTheory } from './parts';

/**
 * Rice-noodle making (米粉制作), on the pastry and noodle scale (面点和粉面粥类): theory 30% + practical 70%.
 *
 * - Theory: machine-scored paper, 0–100.
 * - Practical: the dish is judged on sight (观感) 10, taste (味感) 40, texture (质感) 20, nutrition and hygiene
 *   (营养卫生) 10 and practicality (实用性) 20 — 100 points. Each judge's sheet is added up, the highest and
 *   the lowest judge's totals are dropped and the rest averaged (`judgeTotals`); the dish score is that
 *   average minus overtime: 0.5 per minute over the 2 h limit (entered in whole minutes started), capped at
 *   15 = 30 min × 0.5; a competitor more than 30 min over is out (淘汰出局: a veto triggered by the overtime
 *   entry itself, which the chief judge can also mark).
 * - Ties: to the higher practical score; then the place is shared.
 *
 * Parameters: the panel of 5 judges (the sheet says "drop the highest and the lowest" but not how many
 * judges), the 0.5 marking step, the overtime rate and cap. Another contest deducts 1 per minute and stops
 * the competitor at 5 min over (per 1, cap 5); one where starting early cancels the score adds a zero veto.
 */
const judged = (id: string, name: string, nameEn: string, max: string) => ({
  kind: 'judgement' as const,
  id,
  name,
  nameEn,
  panel: 5,
  range: { min: '0', max },
  step: '0.5',
  // Shown per line for information; the dish counts each judge's whole sheet (judgeTotals below).
  aggregation: { method: 'mean' as const },
});

export const riceNoodle: SchemeInput = {
  id: 'rice-noodle',
  name: '米粉制作（理论 30% + 实操 70%）',
  nameEn: 'Rice-noodle making (theory 30% + practical 70%)',
  source:
    '厨艺技能竞赛评判标准（二）面点和粉面粥类: 观感 10、味感 40、质感 20、营养卫生 10、实用性 20; 比赛时间 2 小时, ' +
    '每超时 1 分钟扣 0.5 分, 超时 30 分钟者淘汰出局; 去掉一个最高分和最低分取平均分; 菜肴得分 = 评委评分 − 超时扣分 ' +
    '(max.book118.com 5030141113002314); Jiangxin domain brief: theory 30% + practical 70%, ties to the ' +
    'higher practical score.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    machineScoredTheory({ weight: '30' }),
    {
      id: 'practical',
      name: '技能操作（米粉作品）',
      nameEn: 'Practical (the rice-noodle dish)',
      weight: '70',
      max: '100',
      normaliseTo: '100',
      floor: '0',
      judgeTotals: { method: 'mean', dropHighest: 1, dropLowest: 1 },
      aspects: [
        judged('sight', '观感', 'Sight', '10'),
        judged('taste', '味感', 'Taste', '40'),
        judged('texture', '质感', 'Texture', '20'),
        judged('hygiene', '营养卫生', 'Nutrition and hygiene', '10'),
        judged('practicality', '实用性', 'Practicality', '20'),
        {
          kind: 'deduction',
          id: 'overtime',
          name: '超时扣分（每分钟 0.5 分）',
          nameEn: 'Overtime (0.5 per minute over 2 h)',
          unit: 'min',
          per: '0.5',
          cap: '15',
          step: '1',
        },
        {
          kind: 'veto',
          id: 'overtimeOut',
          name: '超时 30 分钟以上：淘汰出局',
          nameEn: 'More than 30 min over: out',
          effect: 'disqualify',
          trigger: { aspect: 'overtime', above: '30' },
        },
      ],
    },
  ],
  rounds: [{ id: 'Final', name: '决赛' }],
  ranking: { tieBreaks: [{ by: 'component:practical', prefer: 'higher' }] },
};
