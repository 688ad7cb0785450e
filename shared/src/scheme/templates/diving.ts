import type { SchemeInput } from '../schema';

/**
 * Diving, current rule for a 7-judge panel: the two highest and two lowest awards are dropped, the middle
 * three are summed and multiplied by the dive's degree of difficulty; the event total is the sum of the
 * dives. Men's individual events have six dives. Olympic format: preliminary (top 18 to the semifinal),
 * semifinal (top 12 to the final), final; every round starts from zero. Equal totals share the place.
 */
export const diving: SchemeInput = {
  id: 'diving',
  name: '跳水（7 名裁判，去掉 2 个最高分和 2 个最低分）',
  nameEn: 'Diving (7 judges, drop 2 highest and 2 lowest)',
  source:
    'World Aquatics Competition Regulations, Diving (2023–2025): 7-judge panel, awards 0–10 in half points, ' +
    'two highest and two lowest cancelled, remaining three summed × degree of difficulty; Olympic Games format.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    {
      id: 'dives',
      name: '跳水动作',
      nameEn: 'Dives',
      attempts: { label: 'dive', count: 6, difficulty: true, combine: 'sum' },
      aspects: [
        {
          kind: 'judgement',
          id: 'execution',
          name: '完成分',
          nameEn: 'Award',
          panel: 7,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: 'sum', dropHighest: 2, dropLowest: 2 },
        },
      ],
    },
  ],
  rounds: [
    { id: 'Prelim', name: '预赛', advance: 18 },
    { id: 'Semi', name: '半决赛', advance: 12 },
    { id: 'Final', name: '决赛' },
  ],
  ranking: { tieBreaks: [] },
};
