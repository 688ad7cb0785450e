import type { SchemeInput } from '../schema';
import { machineScoredTheory } from './parts';

/**
 * The national workers' competition shape (全国职工职业技能大赛 and the provincial / industry contests that
 * copy it): comprehensive score (综合成绩) = theory × 30% + practical × 70%, each component marked on its own
 * 100-point sheet and normalised to 100 before weighting.
 *
 * - Theory (理论知识): a machine-scored paper, 0–100, entered as the computer's score (`direct`). No step is
 *   set because papers with 0.625-point questions (100 questions per 62.5) exist.
 * - Practical (技能操作): the subjective lines are marked by 5 judges; the highest and the lowest mark are
 *   dropped and the middle three averaged (去掉一个最高分和一个最低分，取平均分). The objective line is the
 *   inspection sheet (尺寸 / 技术指标检测), whose points the inspectors enter as measured.
 * - Ties (综合成绩相同): the higher practical score ranks first, then the higher theory score; if both are
 *   equal the place is shared (1, 2, 2, 4).
 *
 * Parameters (the trade's technical document sets them; the defaults are a common split, not a rule):
 * the practical lines and their maxima — inspection 40, work quality 30, process 20, safe and tidy work 10 —
 * the 5-judge panel, and the 0.5 marking step.
 */
export const nationalWorkers: SchemeInput = {
  id: 'national-workers',
  name: '全国职工职业技能大赛（理论 30% + 实操 70%）',
  nameEn: "National workers' skills competition (theory 30% + practical 70%)",
  source:
    "Jiangxin domain brief, national workers' competition rule: 综合成绩 = 理论 × 30% + 实操 × 70%, ties to the " +
    'higher practical, then the higher theory score; 住房城乡建设部办公厅《关于加强住房城乡建设行业职业技能竞赛' +
    '组织管理工作的通知》(2015): theory and practical each marked on 100 and combined, theory at most 30% of the ' +
    'total; trimmed 5-judge panels as in Chinese skills-competition score sheets.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    machineScoredTheory({ weight: '30' }),
    {
      id: 'practical',
      name: '技能操作',
      nameEn: 'Practical',
      weight: '70',
      max: '100',
      normaliseTo: '100',
      aspects: [
        {
          kind: 'measurement',
          id: 'inspection',
          name: '尺寸与技术指标检测',
          nameEn: 'Inspection of dimensions and technical indicators',
          unit: '分',
          max: '40',
          range: { min: '0', max: '40' },
          step: '0.5',
          mapping: { type: 'direct' },
        },
        {
          kind: 'judgement',
          id: 'workQuality',
          name: '作品质量',
          nameEn: 'Quality of the work',
          panel: 5,
          range: { min: '0', max: '30' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
        },
        {
          kind: 'judgement',
          id: 'process',
          name: '工艺规范',
          nameEn: 'Process and working method',
          panel: 5,
          range: { min: '0', max: '20' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
        },
        {
          kind: 'judgement',
          id: 'safeWork',
          name: '安全文明生产',
          nameEn: 'Safe and tidy work',
          panel: 5,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
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
