import type { SchemeInput } from '../schema';
import { machineScoredTheory } from './parts';

/**
 * Drone piloting (无人机驾驶员 / 无人机操控): theory 30% + practical 70%.
 *
 * - Theory: machine-scored paper, 0–100.
 * - Assembly and tuning (组装与调试, 40 min, 50 points in the disability-federation standard): judged by 5
 *   judges, highest and lowest dropped, middle three averaged; normalised to 100 and weighted 35%, i.e. half
 *   of the practical, as 50 of the standard's 100 practical points.
 * - Flight (飞行科目, weighted 35%, the other half): a course flown twice, the better run counts (obstacle
 *   courses: "two runs, best counts"). Each run is marked on a 100-point run sheet:
 *   - lap time (竞速, 50 points as in the standard): the clock runs from the pilot's "申请起飞" call to landing;
 *     the limit is 300 s (5 min). Points fall linearly from 50 at 0 s to nothing at the 300 s limit, i.e.
 *     50 × (300 − t) / 300: shorter is better. A run not finished in 300 s is entered as 300. Organisers who
 *     publish a benchmark time for the course set `full` to it.
 *   - hovering (悬停) inside the 2 m circle, table on the seconds held: at least 10 s → 30, at least 5 s → 15,
 *     less → 0 (the 5 s and 10 s requirements of the licence tests).
 *   - precision landing (精准降落): landed inside the 20 m × 10 m landing zone or not (binary), 20 points.
 *   - gate misses (漏门): 5 points per gate missed, at most 50 (the lap's whole value). Gate-miss penalties vary
 *     by organiser: `per` and `cap` are parameters.
 *   - fouls escalate (警告 → 取消成绩 → 取消资格): a second foul cancels the score of the run it happens in
 *     (a zero veto marked on that run: the other run can still count), a third disqualifies. A warning is
 *     not marked.
 *   The 30 / 20 points of hovering and landing and the gate penalty are parameters (the sources give the
 *   tasks but not their points); the run sheet adds up to 100.
 * - Ties: a tied total goes to the higher practical score (assembly + flight, what they add to the total).
 */
export const drone: SchemeInput = {
  id: 'drone',
  name: '无人机驾驶员（理论 30% + 实操 70%）',
  nameEn: 'Drone piloting (theory 30% + practical 70%)',
  source:
    '天津市残疾人联合会《无人机操控竞赛标准》(2022-08-30): 无人机组装与调试 40 分钟 50 分, 竞速飞行 5 分钟 50 分, ' +
    '以完成 1 圈赛道用时最短者获胜; Jiangxin domain brief (drone technical documents): theory 30% + practical 70%, ' +
    'tie to the higher practical; flight within 300 s from "申请起飞"; obstacle course two runs, best counts; ' +
    'hover ≥ 5 or 10 s in a 2 m circle; landing zone 20 m × 10 m; fouls warning → score cancelled → disqualified.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    machineScoredTheory({ weight: '30' }),
    {
      id: 'assembly',
      name: '无人机组装与调试',
      nameEn: 'Assembly and tuning',
      weight: '35',
      max: '50',
      normaliseTo: '100',
      aspects: [
        {
          kind: 'judgement',
          id: 'assemblyQuality',
          name: '组装、调试与试飞',
          nameEn: 'Assembly, tuning and test flight',
          panel: 5,
          range: { min: '0', max: '50' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
        },
      ],
    },
    {
      id: 'flight',
      name: '飞行科目（两轮取最好成绩）',
      nameEn: 'Flight course (two runs, best counts)',
      weight: '35',
      max: '100',
      normaliseTo: '100',
      floor: '0',
      attempts: { label: 'run', count: 2, combine: 'best' },
      aspects: [
        {
          kind: 'measurement',
          id: 'lapTime',
          name: '竞速用时',
          nameEn: 'Lap time',
          unit: 's',
          max: '50',
          range: { min: '0', max: '300' },
          step: '0.01',
          mapping: { type: 'linear', full: '0', zero: '300' },
        },
        {
          kind: 'measurement',
          id: 'hover',
          name: '定点悬停（2 米圆内保持秒数）',
          nameEn: 'Hovering (seconds held inside the 2 m circle)',
          unit: 's',
          max: '30',
          step: '0.1',
          mapping: {
            type: 'table',
            bands: [
              { from: '10', points: '30' },
              { from: '5', below: '10', points: '15' },
              { below: '5', points: '0' },
            ],
          },
        },
        {
          kind: 'measurement',
          id: 'landing',
          name: '精准降落（20 米 × 10 米降落区内）',
          nameEn: 'Precision landing (inside the 20 m × 10 m zone)',
          max: '20',
          mapping: { type: 'binary' },
        },
        {
          kind: 'deduction',
          id: 'gateMiss',
          name: '漏门扣分',
          nameEn: 'Missed gates',
          unit: '个',
          per: '5',
          cap: '50',
        },
        {
          kind: 'veto',
          id: 'foulCancel',
          name: '犯规：取消本轮飞行成绩',
          nameEn: 'Foul: this run cancelled',
          effect: 'zero',
        },
        {
          kind: 'veto',
          id: 'foulDisqualify',
          name: '犯规：取消比赛资格',
          nameEn: 'Foul: disqualified',
          effect: 'disqualify',
        },
      ],
    },
  ],
  rounds: [{ id: 'Final', name: '决赛' }],
  ranking: {
    tieBreaks: [{ by: 'component:assembly+flight', prefer: 'higher' }],
  },
};
