import { describe, expect, it } from 'vitest';
import { pdfFile, pdfPages } from '../../test/poppler';
import type { ResultsDocument } from './model';
import { marksCsv, resultsPdf } from './results';

/** The renderers on constructed documents: a ranking longer than a page, a draft, the marks file's shape. */

const provenance = (draft: boolean) => ({
  auditSeq: 7,
  auditHash: 'cd'.repeat(32),
  draft,
  generatedAt: '2026-05-12T08:00:00.000Z',
});

function longRanking(draft: boolean): ResultsDocument {
  return {
    competition: {
      name: '2026 年省职工职业技能大赛',
      organizer: '省总工会',
      venue: '省实训基地',
      startsOn: '2026-05-10',
      endsOn: '2026-05-12',
      chiefJudges: ['钱裁判'],
      organizers: ['赵组委'],
    },
    events: [
      {
        name: '评茶员',
        scheme: '评茶员（理论 20% + 实操 80%）',
        components: [
          { id: 'theory', name: '理论' },
          { id: 'practical', name: '实操' },
        ],
        standings: Array.from({ length: 90 }, (_, i) => ({
          rank: i + 1,
          entryNumber: i + 1,
          competitor: `选手${String(i + 1).padStart(2, '0')}号`,
          unit: '某茶业公司',
          scores: ['90.00', '80.00'],
          total: '82.00',
          round: '决赛',
          note: '',
        })),
        marks: [],
      },
    ],
    omitted: ['导游讲解'],
    provenance: provenance(draft),
  };
}

const pagesOf = (pdf: Buffer) => pdfPages(pdfFile(pdf));

describe('the results PDF', () => {
  it('runs a long ranking over pages, its header and the audit position on each, every competitor once, signatures at the end', async () => {
    const pages = pagesOf(await resultsPdf(longRanking(false)));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      expect(text).toContain('名次');
      expect(text).toContain(`第 ${i + 1} / ${pages.length} 页`);
      expect(text.replace(/\s+/g, '')).toContain(`第7条entry7·${'cd'.repeat(32)}`);
    });
    const all = pages.join('\n');
    for (let i = 1; i <= 90; i++) expect(all.split(`选手${String(i).padStart(2, '0')}号`)).toHaveLength(2);
    expect(pages.at(-1)).toContain('裁判长（签字）');
    expect(all).toContain('未列入（成绩未公布）：导游讲解');
    expect(all).not.toContain('草稿');
  });

  it('marks a draft on every page', async () => {
    const pages = pagesOf(await resultsPdf(longRanking(true)));
    expect(pages[0]).toContain('草稿：成绩尚未公布');
    // The watermark is drawn last on every page: in drawing order (-raw) it is the page's last text.
    for (const text of pages) expect(text.replace(/\s+/g, '')).toMatch(/草稿DRAFT$/);
  });
});

describe('the marks file', () => {
  it('is what `pnpm results` reads, the extra columns ignored, a formula-like name neutralised', () => {
    const csv = marksCsv(
      'M10',
      [
        {
          round: 'Final',
          competitor: '=1+2',
          entryNumber: 1,
          item: 'dive-1',
          judge: 'J1',
          mark: '8.5',
          difficulty: '3.2',
          use: 'used',
          replaced: false,
        },
      ],
      provenance(true),
    );
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFevent,round,competitor,item,judge,mark,difficulty,use,status,audit',
    );
    expect(csv.split('\r\n')[1]).toBe(
      `M10,Final,'=1+2,dive-1,J1,8.5,3.2,used,draft 草稿,7:${'cd'.repeat(32)}`,
    );
  });
});
