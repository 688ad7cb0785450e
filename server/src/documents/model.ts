import type { HonourListOverride } from '@jiangxin/shared';

/**
 * What the official documents show, as plain data: the exports module fills it from Postgres (the honours
 * module from its evaluation); xlsx.ts, pdf.ts and csv.ts render it. Nothing here reads a database.
 */

/** The state the document was made from: the competition's audit chain at that moment. */
export interface Provenance {
  /** The last audit entry's sequence number and hash (0 and the genesis hash before any entry). */
  auditSeq: number;
  auditHash: string;
  /** Not (yet) published: only the chief judge and the organizer receive it, marked 草稿 DRAFT. */
  draft: boolean;
  generatedAt: string;
}

export interface CompetitionHeader {
  name: string;
  /** The organizing body (主办单位). */
  organizer: string;
  venue: string;
  startsOn: string;
  endsOn: string;
  /** The display names of the accounts holding the role in the competition. */
  chiefJudges: string[];
  organizers: string[];
}

export interface ComponentColumn {
  id: string;
  name: string;
}

export interface StandingLine {
  rank: number | null;
  entryNumber: number | null;
  /** The name once every round is decrypted; before, the workstation code. */
  competitor: string;
  unit: string;
  /** Each component's score, in the order of `EventResults.components` (null: not scored). */
  scores: (string | null)[];
  total: string | null;
  /** The round the place was decided in (a later round reached ranks above an earlier exit). */
  round: string;
  /** Disqualified (by which veto), the tie-break that decided, or nothing. */
  note: string;
  /** A team's members (named with the team, never before): they share its place and total. */
  members?: { name: string; unit: string }[];
}

/** used / dropped by the aggregation, awaiting (too few marks yet), or null where nothing is aggregated. */
export type MarkUse = 'used' | 'dropped' | 'awaiting' | null;

export interface MarkLine {
  round: string;
  competitor: string;
  entryNumber: number | null;
  item: string;
  /** The judge's seat (J1 …): marks are never shown under a judge's name. */
  judge: string;
  mark: string;
  difficulty: string | null;
  use: MarkUse;
  /** A seat the chief judge replaced under the scheme's rule: the mark is the average of the others. */
  replaced: boolean;
}

export interface EventResults {
  name: string;
  /** The scheme's name, for the sheet's subtitle. */
  scheme: string;
  components: ComponentColumn[];
  standings: StandingLine[];
  marks: MarkLine[];
}

export interface ResultsDocument {
  competition: CompetitionHeader;
  events: EventResults[];
  /** Events left out because their results are not published (a public export of the competition). */
  omitted: string[];
  provenance: Provenance;
}

/** The organizer's decision on one candidate of the honours list, with the reason given (as the API lists it). */
export type HonourOverride = Omit<HonourListOverride, 'at'>;

/** The watermark of a document made before publication. */
export const DRAFT_MARK = '草稿 DRAFT';

/** The audit position a document names, in both languages. */
export const provenanceText = (p: Provenance) =>
  `审计位置 audit position: 第 ${p.auditSeq} 条 entry ${p.auditSeq} · ${p.auditHash}`;

export const statusText = (p: Provenance) =>
  p.draft ? `${DRAFT_MARK}（未公布 unpublished）` : '正式 OFFICIAL';

export const datesText = (c: Pick<CompetitionHeader, 'startsOn' | 'endsOn'>) =>
  c.startsOn === c.endsOn ? c.startsOn : `${c.startsOn} 至 ${c.endsOn}`;

export const markUseText: Record<Exclude<MarkUse, null>, string> = {
  used: '计入 used',
  dropped: '去掉 dropped',
  awaiting: '待齐 awaiting',
};

/** How the sheet explains a replaced seat's mark. */
export const replacedMarkText = '缺席替代 replaced (avg of others)';

/** A replaced mark in brackets, so the sheet never shows it as a mark the judge gave. */
export const sheetMark = (m: Pick<MarkLine, 'mark' | 'replaced'>) => (m.replaced ? `(${m.mark})` : m.mark);

/** The use column: the engine's use, and the replacement when there was one. */
export const markUseCell = (m: Pick<MarkLine, 'use' | 'replaced'>) =>
  [m.use ? markUseText[m.use] : '', m.replaced ? replacedMarkText : ''].filter(Boolean).join(' · ') || null;
