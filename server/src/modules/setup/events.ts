import {
  type CreateEventRequest,
  type EventSummary,
  type EventView,
  getTemplate,
  parseScheme,
  type RoundView,
  type Scheme,
  type SchemeError,
} from '@jiangxin/shared';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { schemeOf } from '../../scoring/round';
import { findTemplate } from '../templates/service';
import { changeBy, iso, isoNow, type SetupDeps } from './common';
import { type EventRow, eventsOf, findEvent, insertEvent, type RoundRow, roundsOf } from './repository';

function eventSummary(row: EventRow, scheme: Scheme): EventSummary {
  return {
    id: row.id,
    competitionId: row.competitionId,
    name: row.name,
    schemeName: scheme.name,
    schemeId: scheme.id ?? null,
    ...(scheme.entrants ? { entrants: scheme.entrants } : {}),
    createdAt: isoNow(row.createdAt),
  };
}

function roundView(row: RoundRow, scheme: Scheme): RoundView {
  return {
    id: row.id,
    key: row.key,
    name: scheme.rounds.find((r) => r.id === row.key)?.name ?? null,
    signedOffAt: iso(row.signedOffAt),
    decryptedAt: iso(row.decryptedAt),
    publishedAt: iso(row.publishedAt),
    markingClosedAt: iso(row.markingClosedAt),
  };
}

/** Rounds in the scheme's order. */
function orderRounds(rows: RoundRow[], scheme: Scheme): RoundRow[] {
  const order = (key: string) => scheme.rounds.findIndex((r) => r.id === key);
  return [...rows].sort((a, b) => order(a.key) - order(b.key));
}

/** A template by name, or the organizer's own scheme, validated with every problem named. */
export function resolveScheme(input: CreateEventRequest['scheme']): Scheme {
  if (typeof input === 'string') return getTemplate(input) ?? findTemplate(input, 'scheme');
  const parsed = parseScheme(input);
  if (parsed.ok) return parsed.scheme;
  throw schemeInvalid(parsed.errors);
}

function schemeInvalid(errors: SchemeError[]) {
  const n = errors.length;
  const shown = errors.slice(0, 10).map((e) => `${e.path}: ${e.message}`);
  const more = n > shown.length ? (n > 1 ? ' …' : '') : '';
  return new AppError(
    400,
    'scheme_invalid',
    localized(
      `字段 scheme：评分标准有 ${n} 处错误：${shown.join('；')}${more}`,
      `field "scheme": the marking scheme has ${n} error${n > 1 ? 's' : ''}: ${shown.join('; ')}${more}`,
    ),
    { field: 'scheme', errors },
  );
}

/** The event with its scheme and its rounds in the scheme's order. */
function eventView(event: EventRow, scheme: Scheme, roundRows: RoundRow[]): EventView {
  return {
    ...eventSummary(event, scheme),
    scheme,
    rounds: orderRounds(roundRows, scheme).map((r) => roundView(r, scheme)),
  };
}

export function createEventService({ writer }: SetupDeps) {
  const { db } = writer;
  return {
    /** Creates an event with its scheme and one round per scheme round. */
    async createEvent(
      principal: Principal,
      competitionId: string,
      body: CreateEventRequest,
    ): Promise<EventView> {
      const resolved = resolveScheme(body.scheme);
      const scheme = body.namesShown ? { ...resolved, namesShown: body.namesShown } : resolved;
      return changeBy(writer, principal, competitionId, async (tx, record) => {
        const { event, roundRows } = await insertEvent(tx, competitionId, body.name, scheme);
        await record({
          affects: { eventId: event.id },
          action: 'event.created',
          subject: `event:${event.id}`,
          detail: {
            name: event.name,
            scheme: scheme.id ?? scheme.name,
            template: typeof body.scheme === 'string' ? body.scheme : null,
            namesShown: scheme.namesShown,
            rounds: roundRows.map((r) => ({ id: r.id, key: r.key })),
          },
        });
        return eventView(event, scheme, roundRows);
      });
    },

    async listEvents(competitionId: string): Promise<EventSummary[]> {
      const rows = await eventsOf(db, competitionId);
      return rows.map((row) => eventSummary(row, schemeOf(row.id, row.scheme)));
    },

    async getEvent(competitionId: string, eventId: string): Promise<EventView> {
      const event = await findEvent(db, competitionId, eventId);
      return eventView(event, schemeOf(event.id, event.scheme), await roundsOf(db, event.id));
    },
  };
}
