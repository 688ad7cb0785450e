import {
  Decimal,
  type Localized,
  markProblem,
  type PaperMarkRequest,
  type PaperMarkView,
  paperMarkRequest,
  resolveItem,
  type Scheme,
} from '@jiangxin/shared';

/** A paper mark as the scorekeeper typed it, before it is sent. */
export type PaperEntry = Omit<PaperMarkRequest, 'id'>;

/** Why an entry cannot be sent: a message of the catalogue, or the scheme's own words on range and step. */
export type PaperProblem =
  | { key: 'paper.notNumber' | 'paper.incomplete' }
  | { key: 'paper.unknownItem'; item: string }
  | { key: 'paper.outOfScale'; text: Localized };

/**
 * Why an entry cannot be sent, or null: the shared request schema first (a decimal such as "8.5"), then the
 * item and the aspect's range and step (`markProblem`, the server's own check).
 */
export function paperEntryProblem(scheme: Scheme, round: string, entry: PaperEntry): PaperProblem | null {
  const parsed = paperMarkRequest.safeParse({ ...entry, id: '00000000-0000-4000-8000-000000000000' });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    return { key: field === 'value' && entry.value.trim() !== '' ? 'paper.notNumber' : 'paper.incomplete' };
  }
  // An attempt beyond the round's own count is no item of this round.
  const ref = resolveItem(scheme, parsed.data.item, round);
  if (!ref) return { key: 'paper.unknownItem', item: entry.item };
  const problem = markProblem(ref.aspect, Decimal.of(parsed.data.value));
  return problem ? { key: 'paper.outOfScale', text: problem } : null;
}

/** A paper mark entered on this computer, remembered so the list can say when it was confirmed. */
export interface EnteredHere {
  id: string;
  workstation: string;
  item: string;
  seat: string;
  value: string;
  createdAt: string;
  /** This computer's clock when the server's answer arrived (absent in entries kept by an older version). */
  enteredAt?: number;
}

export type PaperStatus = 'pending' | 'superseded' | 'confirmed';

export interface PaperRow extends EnteredHere {
  /** The account that entered it; null when not known (entered here before the list was read). */
  enteredBy: string | null;
  status: PaperStatus;
}

/**
 * The scorekeeper's list: the round's unconfirmed paper marks (the server lists every paper mark without a
 * second person's confirmation), and the marks entered here that are no longer among them, which were
 * therefore confirmed. A mark entered after the list was asked for is not in it yet: it is still pending.
 * `listAskedAt` is this computer's clock when the list was asked for. Newest first.
 */
export function paperRows(
  pending: readonly PaperMarkView[],
  enteredHere: readonly EnteredHere[],
  listAskedAt: number,
): PaperRow[] {
  const waiting = new Set(pending.map((p) => p.id));
  const rows: PaperRow[] = pending.map((p) => ({
    id: p.id,
    workstation: p.workstation,
    item: p.item,
    seat: p.seat ?? '',
    value: p.value,
    createdAt: p.createdAt,
    enteredBy: p.enteredBy,
    status: p.superseded ? 'superseded' : 'pending',
  }));
  for (const e of enteredHere)
    if (!waiting.has(e.id))
      rows.push({
        ...e,
        enteredBy: null,
        status: listAskedAt > (e.enteredAt ?? 0) ? 'confirmed' : 'pending',
      });
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
