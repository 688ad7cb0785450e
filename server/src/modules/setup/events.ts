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
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { events, rounds } from '../../db/schema';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { audited } from '../audit/service';
import { findTemplate } from '../templates/service';
import { actorOf, type EventRow, findEvent, iso, isoNow, schemeOf } from './common';

type RoundRow = typeof rounds.$inferSelect;

function eventSummary(row: EventRow, scheme: Scheme): EventSummary {
  return {
    id: row.id,
    competitionId: row.competitionId,
    name: row.name,
    schemeName: scheme.name,
    schemeId: scheme.id ?? null,
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

/** Creates an event with its scheme and one round per scheme round. */
export async function createEvent(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  body: CreateEventRequest,
): Promise<EventView> {
  const scheme = resolveScheme(body.scheme);
  return audited(app, async (tx, audit) => {
    const [event] = await tx.insert(events).values({ competitionId, name: body.name, scheme }).returning();
    if (!event) throw new Error('insert returned nothing');
    const roundRows = await tx
      .insert(rounds)
      .values(scheme.rounds.map((r) => ({ eventId: event.id, key: r.id })))
      .returning();
    await audit(competitionId, {
      affects: { eventId: event.id },
      actor: actorOf(principal),
      action: 'event.created',
      subject: `event:${event.id}`,
      detail: {
        name: event.name,
        scheme: scheme.id ?? scheme.name,
        template: typeof body.scheme === 'string' ? body.scheme : null,
        rounds: roundRows.map((r) => ({ id: r.id, key: r.key })),
      },
    });
    return {
      ...eventSummary(event, scheme),
      scheme,
      rounds: orderRounds(roundRows, scheme).map((r) => roundView(r, scheme)),
    };
  });
}

export async function listEvents(app: FastifyInstance, competitionId: string): Promise<EventSummary[]> {
  const rows = await app.db
    .select()
    .from(events)
    .where(eq(events.competitionId, competitionId))
    .orderBy(asc(events.createdAt), asc(events.id));
  return rows.map((row) => eventSummary(row, schemeOf(row)));
}

export async function getEvent(
  app: FastifyInstance,
  competitionId: string,
  eventId: string,
): Promise<EventView> {
  const event = await findEvent(app.db, competitionId, eventId);
  const scheme = schemeOf(event);
  const roundRows = await app.db.select().from(rounds).where(eq(rounds.eventId, event.id));
  return {
    ...eventSummary(event, scheme),
    scheme,
    rounds: orderRounds(roundRows, scheme).map((r) => roundView(r, scheme)),
  };
}
