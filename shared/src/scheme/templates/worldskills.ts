import type { SchemeInput } from '../schema';

/** WorldSkills judgement aspect: three Experts score 0–3; the mark is average ÷ 3 × the aspect's maximum. */
function judgement(id: string, name: string, nameEn: string, max: string) {
  return {
    kind: 'judgement' as const,
    id,
    name,
    nameEn,
    panel: 3,
    range: { min: '0', max: '3' },
    step: '1',
    aggregation: { method: 'mean' as const, dropHighest: 0, dropLowest: 0 },
    // Scores more than 1 apart are re-marked: flagged, never silently resolved (no fallback).
    tolerance: { bands: [{ atLeast: '0', maxSpread: '1' }] },
    rescale: { from: '3', to: max },
  };
}

/** WorldSkills measurement aspect, all or nothing: yes (1) earns the maximum, no (0) earns nothing. */
function yesNo(id: string, name: string, nameEn: string, max: string) {
  return { kind: 'measurement' as const, id, name, nameEn, max, mapping: { type: 'binary' as const } };
}

/**
 * A WorldSkills-style marking scheme (世界技能大赛式评分), shown for an Electrical Installations-type skill.
 *
 * WorldSkills assesses every skill on 100 marks split into criteria (here modules A–D, as components whose
 * aspects add up to the module's marks) and aspects of two kinds:
 * - Measurement (formerly "objective"): an exact rule. Either all or nothing (yes/no, worth the aspect's
 *   maximum or zero), or a measured value mapped to part marks by tolerance levels (a table), or a count
 *   mapped linearly.
 * - Judgement (formerly "subjective"): three Experts score independently on the 0–3 scale (0 below industry
 *   standard, 1 meets it, 2 meets and in parts exceeds it, 3 excellent), each score defined for the aspect
 *   in advance. The aspect's mark is the average ÷ 3 × its maximum (2, 3, 2 on a 2.5-mark aspect →
 *   7/3 ÷ 3 × 2.5 = 35/18 ≈ 1.94). Scores more than 1 apart (e.g. 1 and 3) must be discussed and re-marked:
 *   the engine flags them (`toleranceExceeded`, no fallback) and scores the marks as entered until they are
 *   corrected.
 * - Marks stay exact and the total is rounded to two decimals. Equal totals share the place (and the medal).
 *
 * Parameters: the modules, their aspects and maxima (from the skill's Technical Description and Marking
 * Scheme: these are illustrative, not a published scheme), the tolerance tables, the judging panel (3).
 * The conversion to the WorldSkills scale (median 700) is computed across results, outside the scheme.
 */
export const worldskills: SchemeInput = {
  id: 'worldskills',
  name: '世界技能大赛式评分（测量 + 评价 0–3 分，电气装置类）',
  nameEn: 'WorldSkills-style marking scheme (measurement + 0–3 judgement, Electrical Installations type)',
  source:
    'WorldSkills assessment method: marking scheme of 100 marks standardised to the WorldSkills scale ' +
    '(median 700); measurement (objective) aspects award the specified mark or zero, or part marks by ' +
    'tolerance level; judgement aspects scored 0–3 by a marking team of 3 judges (WSC2015 Experts’ CIS ' +
    'marking-scheme presentation; skill Technical Descriptions, e.g. TD17 Web Technologies WSC2022); ' +
    'judgement mark = average ÷ 3 × aspect maximum, scores more than 1 apart re-marked.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    {
      id: 'A',
      name: '模块 A 安装与布线',
      nameEn: 'Module A: Installation and wiring',
      aspects: [
        yesNo(
          'A1',
          '配电箱安装位置符合图纸（偏差 ≤ 5 mm）',
          'Distribution board positioned to the drawing (±5 mm)',
          '3',
        ),
        {
          kind: 'measurement',
          id: 'A2',
          name: '线槽水平度偏差',
          nameEn: 'Trunking level deviation',
          unit: 'mm/m',
          max: '4',
          step: '0.1',
          mapping: {
            type: 'table',
            bands: [
              { to: '1', points: '4' },
              { above: '1', to: '2', points: '2' },
              { above: '2', points: '0' },
            ],
          },
        },
        yesNo('A3', '端子全部紧固，无裸露导体', 'All terminations tight, no exposed conductor', '3'),
        yesNo('A4', '导线颜色符合 IEC 60445', 'Conductor colours to IEC 60445', '3'),
        yesNo('A5', '器件型号与图纸一致', 'Devices as specified on the drawing', '3'),
        {
          kind: 'measurement',
          id: 'A6',
          name: '开关插座安装高度与图纸偏差',
          nameEn: 'Mounting height of switches and sockets, deviation from the drawing',
          unit: 'mm',
          max: '4',
          step: '1',
          mapping: {
            type: 'table',
            bands: [
              { to: '2', points: '4' },
              { above: '2', to: '5', points: '2' },
              { above: '5', points: '0' },
            ],
          },
        },
        judgement('A7', '线槽切口与接缝工艺', 'Trunking cuts and joints', '2.5'),
        judgement('A8', '线缆整理与绑扎', 'Cable dressing and fixing', '2.5'),
        judgement('A9', '配电箱内部布线工艺', 'Wiring inside the distribution board', '3'),
        judgement('A10', '整体外观与清洁', 'Overall finish and cleanliness', '2'),
      ],
    },
    {
      id: 'B',
      name: '模块 B 检测与调试',
      nameEn: 'Module B: Testing and commissioning',
      aspects: [
        yesNo('B1', '绝缘电阻测试方法与记录正确', 'Insulation resistance tested and recorded correctly', '4'),
        yesNo('B2', '保护导体连续性测试正确', 'Protective conductor continuity tested correctly', '4'),
        {
          kind: 'measurement',
          id: 'B3',
          name: '回路阻抗测量值与参考值偏差',
          nameEn: 'Loop impedance reading, deviation from the reference value',
          unit: '%',
          max: '5',
          step: '0.1',
          mapping: {
            type: 'table',
            bands: [
              { to: '5', points: '5' },
              { above: '5', to: '10', points: '3' },
              { above: '10', points: '0' },
            ],
          },
        },
        yesNo('B4', '首次通电全部功能正常', 'All functions work at first energisation', '5'),
        yesNo('B5', '控制程序功能满足任务书', 'Control program meets the task specification', '4'),
        judgement('B6', '测试记录与调试报告质量', 'Test records and commissioning report', '3'),
        judgement('B7', '程序结构与注释', 'Program structure and comments', '2.5'),
        judgement('B8', '向客户交付讲解', 'Handover explained to the client', '2.5'),
      ],
    },
    {
      id: 'C',
      name: '模块 C 故障排除',
      nameEn: 'Module C: Fault finding',
      aspects: [
        {
          kind: 'measurement',
          id: 'C1',
          name: '正确找到并记录的故障数（共 5 处）',
          nameEn: 'Faults found and recorded correctly (of 5)',
          unit: '处',
          max: '15',
          range: { min: '0', max: '5' },
          step: '1',
          mapping: { type: 'linear', full: '5', zero: '0' },
        },
        {
          kind: 'measurement',
          id: 'C2',
          name: '故障排除用时',
          nameEn: 'Time taken to find the faults',
          unit: 'min',
          max: '5',
          range: { min: '0', max: '45' },
          step: '1',
          mapping: {
            type: 'table',
            bands: [
              { to: '30', points: '5' },
              { above: '30', to: '40', points: '3' },
              { above: '40', to: '45', points: '1' },
            ],
          },
        },
        judgement('C3', '故障排查方法的系统性', 'Systematic fault-finding method', '2.5'),
        yesNo('C4', '安全隔离与验电程序', 'Safe isolation and proving dead', '2.5'),
      ],
    },
    {
      id: 'D',
      name: '模块 D 工作组织、沟通与安全',
      nameEn: 'Module D: Work organisation, communication and safety',
      aspects: [
        yesNo('D1', '全程正确使用个人防护用品', 'Personal protective equipment used throughout', '3'),
        yesNo('D2', '工位整洁、废料分类', 'Workstation tidy, waste sorted', '3'),
        judgement('D3', '工作计划与时间管理', 'Work planning and time management', '3'),
        judgement('D4', '材料使用效率', 'Efficient use of materials', '3'),
        judgement('D5', '与客户和专家的沟通', 'Communication with the client and Experts', '3'),
      ],
    },
  ],
  ranking: { tieBreaks: [] },
  // The WorldSkills scale puts the median competitor at 700 and most between 600 and 800; WSI does not
  // publish its statistics, so 50 points per mean absolute deviation is a parameter chosen to match that.
  standardScale: { centre: '700', perDeviation: '50' },
};
