import type { SchemeInput } from '../schema';

/**
 * WKF karate kata (空手道型), Kata Competition Rules, Article 5 (point system).
 *
 * - Seven judges each give two marks, technical performance and athletic performance, on the same scale
 *   from 5.0 to 10.0 in steps of 0.2 (5.0 is the lowest mark for a kata accepted as performed).
 * - For each mark the two highest and two lowest are eliminated and the remaining three are SUMMED (so each
 *   mark is worth up to 30); the total is weighed 70 % technical + 30 % athletic, out of 30. A real final
 *   (Karate 1-Premier League Tokyo 2019) was tied at 27.68. Every sum of three marks is a multiple of 0.2,
 *   so 0.7 × T + 0.3 × A is a multiple of 0.02 and exact at two decimals: no rounding ever happens.
 * - Modelled as two components of weight 70 and 30, without normalisation: a component's weighted value is
 *   its raw sum × weight ÷ 100.
 * - A disqualification (kiken / shikkaku) is shown as a 0.0 score; here it is a veto that disqualifies.
 * - Ties: the higher technical performance score decides. The athletic score can never decide a tie on
 *   top of that (equal totals and equal technical sums force equal athletic sums), so it is not listed.
 *   Older editions (the 2019 rule applied in Tokyo) settled every draw with an additional kata, and later
 *   editions go on to compare the eliminated marks before an additional kata: neither is a quantity the
 *   scheme can name, so a competitor equal on both stays on a shared place and the organiser orders a new
 *   kata. Check the tie clause of the edition in force.
 * - Every round starts from zero (a different kata each round). The pool system (groups of up to 8, the
 *   best 4 of each group go on) is run as one event per pool; advancement across pools is not modelled.
 *
 * Parameters: the panel (7; with 5 judges the rules drop 1 + 1), the 70/30 weights, the scale.
 */
export const wkfKata: SchemeInput = {
  id: 'wkf-kata',
  name: '空手道型（WKF，7 名裁判，各去 2 高 2 低，技术 70% + 竞技 30%）',
  nameEn: 'Karate kata (WKF: 7 judges, drop 2 + 2 per mark, technical 70 % + athletic 30 %)',
  source:
    'WKF Kata Competition Rules, Article 5.3 "Point system" (judge-wkf.com, Kata Rules): technical and ' +
    'athletic performance on 5.0–10.0 in increments of 0.2, 0.0 = disqualification, two highest and two ' +
    'lowest eliminated for each, total weighed 70 % technical / 30 % athletic; Article 5.4 on draws; WKF ' +
    'news, Karate 1-Premier League Tokyo 2019 female kata final tied at 27.68.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: [
    {
      id: 'technical',
      name: '技术表现',
      nameEn: 'Technical performance',
      weight: '70',
      aspects: [
        {
          kind: 'judgement',
          id: 'technicalMarks',
          name: '技术表现评分（立、技、转换、节奏、呼吸、气合、基本动作）',
          nameEn:
            'Technical performance marks (stances, techniques, transitions, timing, breathing, kime, conformance)',
          panel: 7,
          range: { min: '5', max: '10' },
          step: '0.2',
          aggregation: { method: 'sum', dropHighest: 2, dropLowest: 2 },
        },
        {
          kind: 'veto',
          id: 'disqualification',
          name: '取消资格（评 0.0 分）',
          nameEn: 'Disqualification (scored 0.0)',
          effect: 'disqualify',
        },
      ],
    },
    {
      id: 'athletic',
      name: '竞技表现',
      nameEn: 'Athletic performance',
      weight: '30',
      aspects: [
        {
          kind: 'judgement',
          id: 'athleticMarks',
          name: '竞技表现评分（力量、速度、平衡）',
          nameEn: 'Athletic performance marks (strength, speed, balance)',
          panel: 7,
          range: { min: '5', max: '10' },
          step: '0.2',
          aggregation: { method: 'sum', dropHighest: 2, dropLowest: 2 },
        },
      ],
    },
  ],
  ranking: { tieBreaks: [{ by: 'component:technical', prefer: 'higher' }] },
};
