import type { SchemeInput } from '../schema';
import { machineScoredTheory } from './parts';

/**
 * Tour guide / docent explanation (导游讲解 / 讲解员): theory 30% + site explanation 60% + talent 10%.
 *
 * - Theory (导游知识): machine-scored paper, 0–100.
 * - Site explanation (导游讲解), a 100-point module: the prepared site talk (自选景点讲解) 60, the on-site
 *   creation (现场导游词创作讲解) 25 and the English explanation (英语口语讲解) 15. Seven judges mark each line
 *   to a tenth (their sheets describe four bands, 好 / 较好 / 一般 / 较差); the highest and the lowest are dropped
 *   and the other five averaged.
 *   The site talk lasts 5 min with a warning at 4:30; the timekeeper enters its length in whole seconds and
 *   the module loses: under 240 s or over 300 s → 10; 240–269 s (4:00–4:29) → 5; 270–300 s → nothing (other
 *   contests take 2). The module never goes below 0.
 * - Talent (才艺展示): the same 7-judge panel, 0–10, normalised to 100 and weighted 10%.
 * - Ties: the prepared site explanation, then the on-site creation, then English, then talent; then shared.
 *
 * Parameters: the 60 / 25 / 15 split inside the explanation module (the sources give the module's 60% and the
 * tie order of its parts, not their points), the duration bands and deductions, the 0.1 marking step.
 */
const judged = (id: string, name: string, nameEn: string, max: string) => ({
  kind: 'judgement' as const,
  id,
  name,
  nameEn,
  panel: 7,
  range: { min: '0', max },
  step: '0.1',
  aggregation: { method: 'mean' as const, dropHighest: 1, dropLowest: 1 },
});

export const tourGuide: SchemeInput = {
  id: 'tour-guide',
  name: '导游讲解（理论 30% + 讲解 60% + 才艺 10%）',
  nameEn: 'Tour-guide explanation (theory 30% + explanation 60% + talent 10%)',
  source:
    '全国导游大赛决赛评分细则 (360docs 302357925): 7 名评委, 去掉一个最高分和一个最低分, 其余 5 名平均; 讲解 5 分钟, ' +
    '4 分 30 秒提示; 导游服务技能竞赛规程 (testwt.com/wenda/6479): 去掉最高最低取其他 5 名裁判平均分, 总成绩相同时' +
    '依次按自选导游词讲解、现场导游词创作讲解、导游英语口语测试、才艺运用得分排序; Jiangxin domain brief: theory ' +
    '30 + site explanation 60 + talent 10; under 4 min or over 5 min −10, 4:00–4:29 −5.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    machineScoredTheory({ weight: '30', name: '导游知识', paperName: '导游知识考试（机考）' }),
    {
      id: 'explanation',
      name: '导游讲解',
      nameEn: 'Site explanation',
      weight: '60',
      max: '100',
      normaliseTo: '100',
      floor: '0',
      aspects: [
        judged('siteTalk', '自选景点讲解', 'Prepared site explanation', '60'),
        judged('onSiteCreation', '现场导游词创作讲解', 'On-site creation', '25'),
        judged('english', '英语口语讲解', 'English explanation', '15'),
        {
          kind: 'deduction',
          id: 'talkDuration',
          name: '讲解时长（秒）',
          nameEn: 'Length of the site talk (seconds)',
          unit: 's',
          step: '1',
          bands: [
            { below: '240', points: '10' },
            { from: '240', below: '270', points: '5' },
            { from: '270', to: '300', points: '0' },
            { above: '300', points: '10' },
          ],
        },
      ],
    },
    {
      id: 'talent',
      name: '才艺展示',
      nameEn: 'Talent',
      weight: '10',
      max: '10',
      normaliseTo: '100',
      aspects: [judged('talentShow', '才艺展示', 'Talent show', '10')],
    },
  ],
  rounds: [{ id: 'Final', name: '决赛' }],
  ranking: {
    tieBreaks: [
      { by: 'aspect:siteTalk', prefer: 'higher' },
      { by: 'aspect:onSiteCreation', prefer: 'higher' },
      { by: 'aspect:english', prefer: 'higher' },
      { by: 'component:talent', prefer: 'higher' },
    ],
  },
};
