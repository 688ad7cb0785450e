import type { SchemeInput } from '../schema';
import { machineScoredTheory } from './parts';

/**
 * Chemical process control operator (化工总控工), workers' competition: theory 30% + DCS simulation 35% +
 * distillation operation 35%.
 *
 * - Theory (化工理论知识): 100 questions (60 multiple choice, 40 true/false), 90 min, generated and marked by the
 *   computer; entered as the computer's score, 0–100.
 * - DCS simulation (化工生产仿真操作): 120 min on the simulator, the chief judge draws one of two scenarios;
 *   the simulator's score, 0–100.
 * - Distillation operation (精馏操作): a team item (the team's marks are entered for each member), 100 points:
 *   - technical indicators 70, scored by the computer (`indicators`, entered as the computer's points),
 *   - minus 0.2 for every minute a controlled variable is out of its range (e.g. reboiler level outside
 *     90–110 mm), entered as the minutes summed over the monitored variables; the deduction is capped at 70,
 *     the technical-indicator share (the cap is a parameter: the sources give the rate, not a cap),
 *   - correct procedure 20 and safe, tidy work 10, judged by 3 judges and averaged (panel size a parameter).
 *   Vetoes: an error or accident that stops the unit ends the team's run (the distillation component scores
 *   nothing); data changed without the referee's signature counts as falsified (the technical indicators
 *   score nothing); a report carrying identifying marks scores nothing for that item (the report is the
 *   operation record, marked under procedure, which is the veto's target).
 * - Ties: not stated; the national chain applies — higher practical (DCS + distillation, what they add to the
 *   total), then the place is shared (equal totals with equal practical have equal theory).
 */
export const petrochemical: SchemeInput = {
  id: 'petrochemical',
  name: '化工总控工（理论 30% + 仿真 35% + 精馏 35%）',
  nameEn: 'Chemical process control operator (theory 30% + DCS simulation 35% + distillation 35%)',
  source:
    '第四届全国石油和化工行业职业技能竞赛（职工组）化工总控工竞赛方案: 化工理论知识 30%、化工生产仿真操作 35%、' +
    '精馏操作 35%（集体项目）; 理论 60 道选择题 + 40 道判断题, 机考自动阅卷, 90 分钟; 仿真 120 分钟, 裁判长抽签' +
    '确定方案; Jiangxin domain brief: distillation technical indicators 70% by computer with 0.2 per minute out ' +
    'of range (reboiler level 90–110 mm), procedure 20%, safe and tidy work 10%; stoppage ends the run; ' +
    'unsigned data changes count as falsified; identifying marks score nothing.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    machineScoredTheory({
      weight: '30',
      name: '化工理论知识',
      paperName: '理论知识考试（机考，100 题）',
      paperNameEn: 'Theory paper (machine-scored, 100 questions)',
    }),
    {
      id: 'dcs',
      name: '化工生产仿真操作（DCS）',
      nameEn: 'DCS simulation',
      weight: '35',
      max: '100',
      normaliseTo: '100',
      aspects: [
        {
          kind: 'measurement',
          id: 'simulatorScore',
          name: '仿真软件评分',
          nameEn: "Simulator's score",
          unit: '分',
          max: '100',
          range: { min: '0', max: '100' },
          mapping: { type: 'direct' },
        },
      ],
    },
    {
      id: 'distillation',
      name: '精馏操作（集体项目）',
      nameEn: 'Distillation operation (team item)',
      weight: '35',
      max: '100',
      normaliseTo: '100',
      floor: '0',
      aspects: [
        {
          kind: 'measurement',
          id: 'indicators',
          name: '技术指标（计算机评分）',
          nameEn: 'Technical indicators (computer-scored)',
          unit: '分',
          max: '70',
          range: { min: '0', max: '70' },
          mapping: { type: 'direct' },
        },
        {
          kind: 'deduction',
          id: 'outOfRange',
          name: '工艺参数超出范围（每分钟扣 0.2 分）',
          nameEn: 'Variables out of range (0.2 per minute)',
          unit: 'min',
          per: '0.2',
          cap: '70',
          step: '1',
        },
        {
          kind: 'judgement',
          id: 'procedure',
          name: '操作规范',
          nameEn: 'Correct procedure',
          panel: 3,
          range: { min: '0', max: '20' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 0, dropLowest: 0 },
        },
        {
          kind: 'judgement',
          id: 'safeWork',
          name: '安全文明操作',
          nameEn: 'Safe and tidy work',
          panel: 3,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 0, dropLowest: 0 },
        },
        {
          kind: 'veto',
          id: 'accident',
          name: '操作失误或事故导致停车：终止比赛，精馏计零分',
          nameEn: 'Error or accident stopping the unit: run ended, distillation scores nothing',
          effect: 'zero',
          targets: ['distillation'],
        },
        {
          kind: 'veto',
          id: 'falsifiedData',
          name: '未经裁判签字修改数据（视为弄虚作假）：技术指标计零分',
          nameEn:
            "Data changed without the referee's signature (falsified): technical indicators score nothing",
          effect: 'zero',
          targets: ['indicators', 'outOfRange'],
        },
        {
          kind: 'veto',
          id: 'identifyingMarks',
          name: '记录单有识别标记：该项计零分',
          nameEn: 'Report carrying identifying marks: that item scores nothing',
          effect: 'zero',
          targets: ['procedure'],
        },
      ],
    },
  ],
  rounds: [{ id: 'Final', name: '决赛' }],
  ranking: {
    // "Higher practical (DCS + distillation)" for a tied total, stated as the equivalent "lower theory".
    tieBreaks: [{ by: 'component:dcs+distillation', prefer: 'higher' }],
  },
};
