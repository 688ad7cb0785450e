import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  evaluateHonours,
  eventJson,
  getHonourTemplate,
  getTemplate,
  type HonourRuleSet,
  honourResults,
  readMarksCsv,
  readPeopleCsv,
  type Scheme,
  scoreEvent,
} from '@jiangxin/shared';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { pdfFile, pdfFonts, pdfPages, screenshotPage1 } from '../../test/poppler';
import { type HonoursDocument, honoursPdf, honoursWorkbook } from './honours';

/**
 * The honours list's renderers on an evaluation computed by `evaluateHonours` from the welding fixture
 * (scored by the engine, the people's records from the fixture), with one override by the organizer.
 */

const fixtures = join(import.meta.dirname, '../../../tests/fixtures');
const workers = getTemplate('national-workers') as Scheme;
const rules = getHonourTemplate('county') as HonourRuleSet;

function documentOf(draft: boolean): HonoursDocument {
  const [welding] = readMarksCsv(
    readFileSync(join(fixtures, 'honours-welding.marks.csv'), 'utf8'),
    workers,
  ).events;
  if (!welding) throw new Error('empty fixture');
  const results = honourResults.parse({
    events: [eventJson(workers, '焊工', scoreEvent(workers, welding.marks, welding.difficulties))],
  });
  const people = readPeopleCsv(readFileSync(join(fixtures, 'honours-welding.people.csv'), 'utf8')).people;
  const evaluation = evaluateHonours(rules, results, people, { class: null });
  return {
    competition: {
      name: '2026 年县职工焊工技能大赛',
      organizer: '县总工会',
      venue: '县实训基地',
      startsOn: '2026-05-10',
      endsOn: '2026-05-11',
      chiefJudges: ['钱裁判'],
      organizers: ['赵组委'],
    },
    rules,
    evaluation,
    overrides: [
      {
        honour: 'county-may-day-medal',
        event: '焊工',
        competitor: 'W01',
        recommended: true,
        reason: '经核实为车间一线焊工，人事档案有误',
        by: '赵组委',
      },
    ],
    provenance: { auditSeq: 42, auditHash: 'ab'.repeat(32), draft, generatedAt: '2026-05-12T08:00:00.000Z' },
  };
}

describe('the honours list', () => {
  it('is a workbook of every candidate: honour, place, score, the system’s and the final recommendation, the override, each condition with its figure', async () => {
    const doc = documentOf(false);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await honoursWorkbook(doc)) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '封面 Cover',
      '推荐名单 Candidates',
      '并列与比例 Ties and shares',
    ]);
    const sheet = workbook.getWorksheet('推荐名单 Candidates');
    const rows: unknown[][] = [];
    sheet?.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows).toHaveLength(doc.evaluation.candidates.length);
    const medal = rows.find((r) => r[0] === '县五一劳动奖章' && r[1] === 'W01');
    expect(medal?.slice(0, 9)).toEqual([
      '县五一劳动奖章',
      'W01',
      '福州重工',
      '焊工',
      1,
      92.82,
      '否',
      '是',
      '改为推荐：经核实为车间一线焊工，人事档案有误（赵组委）',
    ]);
    expect(String(medal?.[9]).split('\n')).toEqual([
      '【符合】第 1 名（共 6 名）；范围：第 1 名',
      '【符合】theory 92.00 ≥ 60',
      '【符合】practical 93.17 ≥ 60',
      '【符合】未被取消资格，无否决',
      '【不符合】不是一线职工',
    ]);
    const unit = rows.find((r) => r[1] === '三明钢铁');
    expect(unit?.[7]).toBe('是');
  });

  it('prints a Chinese A4 list with the honours, the recommended, the conditions, the override and signature lines', async () => {
    const doc = documentOf(true);
    const file = pdfFile(await honoursPdf(doc));
    const text = pdfPages(file).join('\n');
    const flat = text.replace(/\s+/g, '');
    expect(text).toContain('2026 年县职工焊工技能大赛');
    expect(text).toContain('荣誉推荐名单');
    const recommended = doc.evaluation.candidates.filter(
      (c) => c.recommended || (c.honour === 'county-may-day-medal' && c.competitor === 'W01'),
    );
    for (const honour of new Set(recommended.map((c) => c.honour))) {
      const name = rules.honours.find((h) => h.id === honour)?.name ?? honour;
      expect(text).toContain(name);
    }
    for (const c of recommended) expect(flat).toContain(c.competitor);
    expect(flat).toContain('第1名（共6名）；范围：第1名');
    expect(flat).toContain('改为推荐：经核实为车间一线焊工，人事档案有误（赵组委）');
    expect(text).toContain('裁判长（签字）');
    expect(text).toContain('组委会（签字）');
    expect(flat).toContain(`第42条entry42·${'ab'.repeat(32)}`);
    // Page 1 as a person sees it, the draft's watermark across it.
    screenshotPage1(file, 'exports-honours-pdf');
    expect(pdfFonts(file)).toMatch(/NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
  });
});
