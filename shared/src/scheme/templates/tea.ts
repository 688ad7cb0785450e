import type { SchemeInput } from '../schema';
import { machineScoredTheory } from './parts';

/**
 * Tea grading (评茶员): theory 20% + practical 80% (related tea trades weight theory 20/80 or 10/90; 20/80 is
 * the default here, a parameter).
 *
 * The practical sheet is 100 points:
 * - quality comparison (品质审评 / 对样评茶), 50:
 *   - tea category (茶类) 4, all or nothing (binary);
 *   - tea name (茶名) 6, all or nothing (binary);
 *   - ranking three samples (品质排序), a table on how many are placed right: none 0, one 10, two or more 20;
 *   - five written comments (评语) on appearance, liquor colour, aroma, taste and infused leaf, 4 each, judged
 *     0–4;
 * - procedure (操作程序), 20, judged;
 * - category identification (茶类辨识), 30: 10 samples at 3 points (name and batch right 3, name right batch
 *   wrong 2, name wrong 0), entered as the sum the marker counted (0–30).
 * Vetoes: a wrong evaluation method, or more than 10 min over time, zeroes the quality-comparison item
 * (its lines are the veto's targets); talking to other competitors disqualifies.
 * Ties: not stated in the tea documents; the national shape is used (higher practical, then higher theory,
 * then shared).
 *
 * Parameters: the theory weight; the judged lines are marked by 3 judges and averaged, in half points (the
 * sources give the points but not the panel).
 */
type AspectInput = SchemeInput['components'][number]['aspects'][number];

const comment = (id: string, name: string, nameEn: string): AspectInput => ({
  kind: 'judgement',
  id,
  name,
  nameEn,
  panel: 3,
  range: { min: '0', max: '4' },
  step: '0.5',
  aggregation: { method: 'mean', dropHighest: 0, dropLowest: 0 },
});

export const tea: SchemeInput = {
  id: 'tea',
  name: '评茶员（理论 20% + 实操 80%）',
  nameEn: 'Tea grading (theory 20% + practical 80%)',
  source:
    'Jiangxin domain brief (评茶员 competition technical documents): practical sheet of 100 — quality comparison ' +
    '50 (category 4 all or nothing, name 6, ranking 10 / 20, five comments 4 each), procedure 20, category ' +
    'identification 30 (3 points a sample); wrong method or > 10 min over zeroes the item; talking ' +
    'disqualifies; related trades weight theory 20/80 or 10/90.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    machineScoredTheory({ weight: '20' }),
    {
      id: 'practical',
      name: '技能操作',
      nameEn: 'Practical',
      weight: '80',
      max: '100',
      normaliseTo: '100',
      aspects: [
        {
          kind: 'measurement',
          id: 'teaCategory',
          name: '品质审评：茶类',
          nameEn: 'Quality comparison: tea category',
          max: '4',
          mapping: { type: 'binary' },
        },
        {
          kind: 'measurement',
          id: 'teaName',
          name: '品质审评：茶名',
          nameEn: 'Quality comparison: tea name',
          max: '6',
          mapping: { type: 'binary' },
        },
        {
          kind: 'measurement',
          id: 'ranking',
          name: '品质审评：三个茶样排序（排对个数）',
          nameEn: 'Quality comparison: ranking three samples (number placed right)',
          unit: '个',
          max: '20',
          range: { min: '0', max: '3' },
          step: '1',
          mapping: {
            type: 'table',
            bands: [
              { to: '0', points: '0' },
              { from: '1', below: '2', points: '10' },
              { from: '2', points: '20' },
            ],
          },
        },
        comment('appearance', '评语：外形', 'Comment: appearance'),
        comment('liquorColour', '评语：汤色', 'Comment: liquor colour'),
        comment('aroma', '评语：香气', 'Comment: aroma'),
        comment('taste', '评语：滋味', 'Comment: taste'),
        comment('infusedLeaf', '评语：叶底', 'Comment: infused leaf'),
        {
          kind: 'judgement',
          id: 'procedure',
          name: '操作程序',
          nameEn: 'Procedure',
          panel: 3,
          range: { min: '0', max: '20' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 0, dropLowest: 0 },
        },
        {
          kind: 'measurement',
          id: 'identification',
          name: '茶类辨识（10 个茶样，每样 3 分）',
          nameEn: 'Category identification (10 samples, 3 points each)',
          unit: '分',
          max: '30',
          range: { min: '0', max: '30' },
          step: '1',
          mapping: { type: 'direct' },
        },
        {
          kind: 'veto',
          id: 'wrongMethod',
          name: '审评方法错误或超时 10 分钟以上：品质审评计零分',
          nameEn: 'Wrong evaluation method or over 10 min late: quality comparison scores nothing',
          effect: 'zero',
          targets: [
            'teaCategory',
            'teaName',
            'ranking',
            'appearance',
            'liquorColour',
            'aroma',
            'taste',
            'infusedLeaf',
          ],
        },
        {
          kind: 'veto',
          id: 'talking',
          name: '与其他选手交谈：取消资格',
          nameEn: 'Talking to other competitors: disqualified',
          effect: 'disqualify',
        },
      ],
    },
  ],
  rounds: [{ id: 'Final', name: '决赛' }],
  ranking: {
    tieBreaks: [
      { by: 'component:practical', prefer: 'higher' },
      { by: 'component:theory', prefer: 'higher' },
    ],
  },
};
