import type { HonourCandidate, HonourRuleSet, HonoursEvaluation } from '@jiangxin/shared';
import { type CompetitionHeader, datesText, type HonourOverride, type Provenance } from './model';
import { PdfWriter } from './pdf';
import { type Cell, coverSheet, newWorkbook, score, tableSheet, workbookBytes } from './xlsx';

/**
 * The honours recommendation list (荣誉推荐名单) as a workbook and a printable PDF: every candidate with
 * every condition and its figure, the organizer's overrides with their reasons, the ties and share rules.
 */

export interface HonoursDocument {
  competition: CompetitionHeader;
  /** The rule set evaluated: its name and the honours' names. */
  rules: Pick<HonourRuleSet, 'name' | 'honours'>;
  evaluation: HonoursEvaluation;
  overrides: readonly HonourOverride[];
  provenance: Provenance;
}

interface Line {
  candidate: HonourCandidate;
  honourName: string;
  /** The system's recommendation, then the organizer's decision where one was made. */
  recommended: boolean;
  override: HonourOverride | null;
}

const yes = (b: boolean) => (b ? '是' : '否');

function lines(doc: HonoursDocument): Line[] {
  const names = new Map(doc.rules.honours.map((h) => [h.id, h.name]));
  return doc.evaluation.candidates.map((candidate) => {
    const override =
      doc.overrides.find(
        (o) =>
          o.honour === candidate.honour &&
          o.event === candidate.event &&
          o.competitor === candidate.competitor,
      ) ?? null;
    return {
      candidate,
      honourName: names.get(candidate.honour) ?? candidate.honour,
      recommended: override ? override.recommended : candidate.recommended,
      override,
    };
  });
}

/** Each condition, passed or not, with the figure behind it (one per line). */
const conditionsText = (c: HonourCandidate) =>
  c.conditions.map((x) => `【${x.passed ? '符合' : '不符合'}】${x.figure['zh-CN']}`).join('\n');

const overrideText = (o: HonourOverride | null) =>
  o ? `${o.recommended ? '改为推荐' : '改为不推荐'}：${o.reason}（${o.by}）` : '';

/** A candidate as a list names them: a team's member with the team. */
const who = (c: { competitor: string; team?: string }) =>
  c.team && c.team !== c.competitor ? `${c.competitor}（${c.team}）` : c.competitor;

export async function honoursWorkbook(doc: HonoursDocument): Promise<Buffer> {
  const workbook = newWorkbook();
  const c = doc.competition;
  coverSheet(
    workbook,
    `${c.name} 荣誉推荐名单 Honours recommendations`,
    [
      ['竞赛名称 Competition', c.name],
      ['日期 Dates', datesText(c)],
      ['主办单位 Organized by', c.organizer],
      ['荣誉规则 Honour rules', doc.rules.name],
      ['竞赛类别 Competition class', doc.evaluation.competitionClass ?? '—'],
    ],
    doc.provenance,
  );
  const sheet = tableSheet(
    workbook,
    '推荐名单 Candidates',
    [
      { header: '荣誉 Honour', width: 20 },
      { header: '选手 Competitor', width: 16 },
      { header: '单位 Unit', width: 20 },
      { header: '赛项 Event', width: 14 },
      { header: '名次 Place', width: 8 },
      { header: '成绩 Score', width: 10 },
      { header: '系统推荐 Computed', width: 10 },
      { header: '最终推荐 Recommended', width: 10 },
      { header: '调整 Override', width: 30 },
      { header: '条件与依据 Conditions', width: 60 },
    ],
    lines(doc).map((l): Cell[] => [
      l.honourName,
      who(l.candidate),
      l.candidate.unit,
      l.candidate.event,
      l.candidate.place,
      score(l.candidate.total),
      yes(l.candidate.recommended),
      yes(l.recommended),
      overrideText(l.override),
      conditionsText(l.candidate),
    ]),
  );
  sheet.getColumn(10).alignment = { wrapText: true, vertical: 'top' };
  tableSheet(
    workbook,
    '并列与比例 Ties and shares',
    [
      { header: '类别 Kind', width: 16 },
      { header: '说明 Figure', width: 90 },
    ],
    [
      ...doc.evaluation.ties.map((t): Cell[] => [
        t.resolution === 'shared' ? '并列（共享）' : '并列（由组委会决定）',
        t.figure['zh-CN'],
      ]),
      ...doc.evaluation.listRules.map((r): Cell[] => [
        r.passed ? '比例规则（符合）' : '比例规则（不符合）',
        r.figure['zh-CN'],
      ]),
    ],
  );
  return workbookBytes(workbook);
}

export function honoursPdf(doc: HonoursDocument): Promise<Buffer> {
  const c = doc.competition;
  const all = lines(doc);
  const pdf = new PdfWriter(`${c.name} 荣誉推荐名单`, doc.provenance);
  pdf.title(c.name).paragraph('荣誉推荐名单', { size: 14, align: 'center' });
  pdf.paragraph(`${datesText(c)} · 主办单位：${c.organizer} · 规则：${doc.rules.name}`, {
    align: 'center',
    size: 9,
  });
  const honourNames = [...new Set(all.map((l) => l.honourName))];
  for (const honour of honourNames) {
    const recommended = all.filter((l) => l.honourName === honour && l.recommended);
    pdf.heading(`${honour}（${recommended.length} 人）`);
    if (recommended.length === 0) {
      pdf.paragraph('无推荐人选', { size: 9, color: '#555555' });
      continue;
    }
    pdf.table(
      [
        { header: '选手', width: 0.13 },
        { header: '单位', width: 0.16 },
        { header: '赛项', width: 0.12 },
        { header: '名次', width: 0.07, align: 'center' },
        { header: '成绩', width: 0.09, align: 'right' },
        { header: '条件与依据', width: 0.43 },
      ],
      recommended.map((l) => [
        who(l.candidate),
        l.candidate.unit ?? '—',
        l.candidate.event,
        l.candidate.place === null ? '—' : String(l.candidate.place),
        l.candidate.total ?? '—',
        [conditionsText(l.candidate), overrideText(l.override)].filter(Boolean).join('\n'),
      ]),
      8,
    );
  }
  const overridden = all.filter((l) => l.override);
  if (overridden.length > 0) {
    pdf.heading('组委会调整');
    pdf.table(
      [
        { header: '荣誉', width: 0.18 },
        { header: '选手', width: 0.14 },
        { header: '赛项', width: 0.12 },
        { header: '系统推荐', width: 0.1, align: 'center' },
        { header: '调整', width: 0.46 },
      ],
      overridden.map((l) => [
        l.honourName,
        who(l.candidate),
        l.candidate.event,
        yes(l.candidate.recommended),
        overrideText(l.override),
      ]),
      8,
    );
  }
  const notes = [
    ...doc.evaluation.ties.map((t) => t.figure['zh-CN']),
    ...doc.evaluation.listRules.map((r) => `${r.passed ? '【符合】' : '【不符合】'}${r.figure['zh-CN']}`),
  ];
  if (notes.length > 0) {
    pdf.heading('并列与比例规则');
    for (const note of notes) pdf.paragraph(note, { size: 9 });
  }
  pdf.signatures([
    { role: '裁判长', names: c.chiefJudges },
    { role: '组委会', names: c.organizers },
  ]);
  return pdf.finish();
}
