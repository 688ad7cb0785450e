import {
  type CompetitionSnapshot,
  type CompetitionUpdate,
  competitionJoinRequest,
  type LiveClientEvents,
  type LiveServerEvents,
  type RoundGone,
  type RoundSnapshot,
  type RoundUpdate,
  roundJoinRequest,
  roundLeaveRequest,
  type SessionEnded,
} from '@jiangxin/shared';
import { z } from 'zod';
import { INTERNAL_ERROR } from './errors';

/**
 * The Socket.IO events as /docs/socket and /docs/asyncapi.json describe them, from the typed event map of
 * shared/src/api/live.ts: the client's requests are the shared zod schemas; what the server sends is typed
 * there as TypeScript only, so its schemas are written here, each checked at compile time to be exactly
 * its type (and against real payloads by live-events.test.ts).
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** A schema whose output is exactly `T`: it stops compiling when the type and the schema drift apart. */
const exactly =
  <T>() =>
  <S extends z.ZodType>(schema: S & (Same<z.output<S>, T> extends true ? unknown : never)): S =>
    schema;

const uuid = z.uuid();
const version = z.number().int().nonnegative();
/** A decimal as text, exact at the scheme's precision (or 4 places for intermediate values). */
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ id: 'Decimal' });
const nullableDecimal = decimal.nullable();

const flag = z
  .discriminatedUnion('code', [
    z.strictObject({ code: z.literal('noMarks') }),
    z.strictObject({ code: z.literal('missingMarks'), expected: z.number(), received: z.number() }),
    z.strictObject({ code: z.literal('tooManyMarks'), expected: z.number(), received: z.number() }),
    z.strictObject({
      code: z.literal('toleranceExceeded'),
      spread: z.string(),
      maxSpread: z.string(),
      fallback: z.boolean(),
    }),
    z.strictObject({ code: z.literal('outsideTable'), value: z.string() }),
    z.strictObject({ code: z.literal('missingDifficulty') }),
    z.strictObject({ code: z.literal('notPerformed') }),
    z.strictObject({ code: z.literal('vetoed'), by: z.string() }),
    z.strictObject({ code: z.literal('triggered'), by: z.string(), value: z.string() }),
    z.strictObject({ code: z.literal('missingRound'), round: z.string() }),
    z.strictObject({ code: z.literal('markReplaced'), judge: z.string(), value: z.string() }),
  ])
  .meta({ id: 'Flag' });
const flags = z.array(flag);

/** A judge's mark by seat (judges never appear by name). */
const seatMark = z.strictObject({ judge: z.string(), mark: z.string() }).meta({ id: 'SeatMark' });
const aspect = z
  .strictObject({
    aspect: z.string(),
    value: nullableDecimal,
    points: nullableDecimal,
    used: z.array(seatMark),
    dropped: z.array(seatMark),
    awaiting: z.array(seatMark),
    flags,
  })
  .meta({ id: 'Aspect' });
const attempt = z
  .strictObject({
    attempt: z.number().int(),
    difficulty: nullableDecimal,
    points: nullableDecimal,
    counted: z.boolean(),
    aspects: z.array(aspect),
    flags,
  })
  .meta({ id: 'Attempt' });
const componentHead = {
  component: z.string(),
  raw: nullableDecimal,
  score: decimal,
  weighted: nullableDecimal,
  zeroedBy: z.string().nullable(),
  judgeTotals: z
    .strictObject({ value: nullableDecimal, used: z.array(seatMark), dropped: z.array(seatMark) })
    .optional(),
};
const component = z
  .union([
    z.strictObject({ ...componentHead, attempts: z.array(attempt) }),
    z.strictObject({ ...componentHead, aspects: z.array(aspect) }),
  ])
  .meta({ id: 'Component' });

const standingFields = {
  rank: z.number().int().positive().nullable(),
  competitor: z.string().describe('The workstation code, or the name once the round is decrypted'),
  workstation: z.string().describe('The key a delta names the line by'),
  total: nullableDecimal,
  round: z.string(),
  decidedBy: z.string().nullable(),
  shared: z.boolean(),
  standardScore: nullableDecimal,
  rounds: z.array(
    z.strictObject({ round: z.string(), rank: z.number().int().nullable(), total: nullableDecimal }),
  ),
  own: nullableDecimal,
  carried: z.array(z.strictObject({ round: z.string(), total: decimal })),
  deductions: decimal,
  disqualifiedBy: z.string().nullable(),
  complete: z.boolean(),
  flags,
  components: z.array(component),
};
const standing = z.strictObject(standingFields).meta({ id: 'Standing' });
const roundStatus = z.strictObject({
  signedOff: z.boolean(),
  decrypted: z.boolean(),
  published: z.boolean(),
  markingClosed: z
    .boolean()
    .describe(
      'Marking closed by the organizer or chief judge (POST …/close): marks are refused round_closed and wait on the tablets until …/open.',
    ),
});
const audience = z.enum(['staff', 'public', 'judge']);

export const roundSnapshot = exactly<RoundSnapshot>()(
  z.strictObject({
    roundId: uuid,
    competitionId: uuid,
    version,
    audience,
    status: roundStatus,
    labels: z.enum(['workstation', 'name']),
    event: z.string(),
    round: z.string(),
    standings: z.array(standing),
    frozen: z
      .strictObject({ revealed: z.number().int().nonnegative(), hidden: z.number().int().nonnegative() })
      .nullable(),
  }),
);

const linePatch = z
  .strictObject({ ...standingFields, workstation: z.string() })
  .partial()
  .required({ workstation: true });

export const roundUpdate = exactly<RoundUpdate>()(
  z.union([
    z.strictObject({ roundId: uuid, version, snapshot: roundSnapshot }),
    z.strictObject({
      roundId: uuid,
      version,
      delta: z.strictObject({
        base: version.describe('The only version this delta applies to'),
        changed: z.array(linePatch),
        order: z.array(z.string()).optional().describe('The workstations in order, when it changed'),
      }),
    }),
  ]),
);

const roundGone = exactly<RoundGone>()(z.strictObject({ roundId: uuid, reason: z.literal('unpublished') }));

const roundSummary = z
  .strictObject({
    roundId: uuid,
    version,
    event: z.string(),
    round: z.string(),
    status: roundStatus,
    open: z.boolean(),
    marked: z.boolean(),
    frozen: z.boolean(),
  })
  .meta({ id: 'RoundSummary' });

const competitionSnapshot = exactly<CompetitionSnapshot>()(
  z.strictObject({ competitionId: uuid, audience, rounds: z.array(roundSummary) }),
);

export const competitionUpdate = exactly<CompetitionUpdate>()(
  z.union([
    z.strictObject({ competitionId: uuid, round: roundSummary }),
    z.strictObject({ competitionId: uuid, gone: z.strictObject({ roundId: uuid }) }),
  ]),
);

const sessionEnded = exactly<SessionEnded>()(
  z.strictObject({ reason: z.enum(['expired', 'revoked', 'flooding']) }),
);

/** The `data` of each request's acknowledgement. */
type AckData<K extends keyof LiveClientEvents> = Parameters<
  Parameters<LiveClientEvents[K]>[1]
>[0] extends infer A
  ? A extends { data: infer D }
    ? D
    : never
  : never;

interface ClientEvent<K extends keyof LiveClientEvents> {
  summary: string;
  /** Who may send it and what it joins. */
  description: string;
  /** The `error.code`s its acknowledgement may carry. */
  errors: string[];
  request: z.ZodType<unknown, Parameters<LiveClientEvents[K]>[0]>;
  ack: z.ZodType<AckData<K>>;
}

interface ServerEvent<K extends keyof LiveServerEvents> {
  summary: string;
  /** Which room it goes to, and what the client does with it. */
  description: string;
  payload: z.ZodType<Parameters<LiveServerEvents[K]>[0]>;
}

/** What the client sends; every event is acknowledged with `{ data }` or `{ error: { code, message } }`. */
export const clientEvents: { [K in keyof LiveClientEvents]: ClientEvent<K> } = {
  'round:join': {
    summary: '关注一个场次 · Follow a round',
    description:
      'Joins the round’s room for the caller’s audience and answers its snapshot; `round:update` events follow. ' +
      'The chief judge and the organizer of the competition (staff audience) may join any of its rounds; ' +
      'everyone else (judges, displays, other roles, the public) only a published or open-scoring round ' +
      '(public audience: frozen standings during a ceremony). The token is checked again at every join.',
    errors: ['request_invalid', 'round_unpublished', 'round_unknown', 'unauthenticated'],
    request: roundJoinRequest,
    ack: roundSnapshot,
  },
  'round:leave': {
    summary: '不再关注场次 · Stop following a round',
    description: 'Leaves the round’s rooms. Anyone may send it.',
    errors: ['request_invalid'],
    request: roundLeaveRequest,
    ack: z.strictObject({ roundId: uuid }),
  },
  'competition:join': {
    summary: '关注一个竞赛的场次列表 · Follow a competition’s rounds',
    description:
      'Joins the competition’s room for the caller’s audience and answers the rounds it may watch: staff ' +
      '(chief judge, organizer) every round, everyone else the published and open-scoring ones. ' +
      '`competition:update` events follow.',
    errors: ['request_invalid', 'competition_not_found', 'unauthenticated'],
    request: competitionJoinRequest,
    ack: competitionSnapshot,
  },
  'competition:leave': {
    summary: '不再关注竞赛 · Stop following a competition',
    description: 'Leaves the competition’s rooms. Anyone may send it.',
    errors: ['request_invalid'],
    request: competitionJoinRequest,
    ack: z.strictObject({ competitionId: uuid }),
  },
};

/** What the server sends. */
export const serverEvents: { [K in keyof LiveServerEvents]: ServerEvent<K> } = {
  'round:update': {
    summary: '场次变化 · A round changed',
    description:
      'To the round’s room of each audience, about one per 50 ms per round at most: a whole `snapshot` (status, ' +
      'labels or freeze changed, or the audience could not see the previous one) or a `delta` on top of ' +
      'exactly `delta.base`. A gap, or a version lower than the one held, means: send `round:join` again ' +
      '(shared `RoundFollower` does this).',
    payload: roundUpdate,
  },
  'round:gone': {
    summary: '场次不再可见 · A round is no longer visible',
    description: 'To an audience that may no longer see the round (e.g. unpublished again): drop it.',
    payload: roundGone,
  },
  'competition:update': {
    summary: '竞赛的场次列表变化 · A competition’s list of rounds changed',
    description:
      'To the competition’s room of each audience: a round appeared to it or changed status or freeze ' +
      '(`round`; of two summaries of one round keep the higher `version`), or may no longer be watched ' +
      '(`gone`). Marks never cause one.',
    payload: competitionUpdate,
  },
  'session:ended': {
    summary: '会话结束 · The session ended',
    description:
      'To a socket whose token expired or whose device was revoked, paired again or signed out, just ' +
      'before the server disconnects it: sign in (or pair) again, then reconnect. A server shutting down ' +
      '(a restart) sends none: it closes the connection (the client sees `transport close`) and the ' +
      'client reconnects by itself, to the restarted or another process, recovering what it missed.',
    payload: sessionEnded,
  },
};

/** The acknowledgement: `{ data }`, or `{ error }` with one of the event's codes (or `internal_error`). */
const ack = (event: ClientEvent<keyof LiveClientEvents>) =>
  z.union([
    z.strictObject({ data: event.ack }),
    z.strictObject({
      error: z.strictObject({ code: z.enum([...event.errors, INTERNAL_ERROR]), message: z.string() }),
    }),
  ]);

export type JsonSchema = Record<string, unknown>;
type Ref = { $ref: string };

export interface AsyncApiMessage {
  name: string;
  summary: string;
  payload: JsonSchema;
}

export interface AsyncApiOperation {
  /** From the server's side: it receives the client's events and sends its own. */
  action: 'receive' | 'send';
  channel: Ref;
  title: string;
  summary: string;
  description: string;
  messages: Ref[];
  /** The acknowledgement. */
  reply?: { channel: Ref; messages: Ref[] };
}
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-7' });
  return rest;
};

/** `round:join` → `roundJoin`: AsyncAPI ids are plain names. */
const idOf = (event: string) => event.replace(/:(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * The AsyncAPI 3.0 document of the push. Operations are from the server's side: it receives the client's
 * events (each with its acknowledgement as the reply) and sends its own.
 */
export function asyncApiDocument(info: { version: string }) {
  const messages: Record<string, AsyncApiMessage> = {};
  const operations: Record<string, AsyncApiOperation> = {};
  const channel = { $ref: '#/channels/live' };
  const message = (id: string) => ({ $ref: `#/channels/live/messages/${id}` });
  for (const [name, event] of Object.entries(clientEvents)) {
    const id = idOf(name);
    messages[id] = { name, summary: event.summary, payload: jsonSchema(event.request, 'input') };
    messages[`${id}Ack`] = {
      name: `${name} (ack)`,
      summary: `${event.summary} — 应答 acknowledgement`,
      payload: jsonSchema(ack(event), 'output'),
    };
    operations[id] = {
      action: 'receive',
      channel,
      title: name,
      summary: event.summary,
      description: `${event.description} Errors: ${event.errors.map((code) => `\`${code}\``).join(', ')}.`,
      messages: [message(id)],
      reply: { channel, messages: [message(`${id}Ack`)] },
    };
  }
  for (const [name, event] of Object.entries(serverEvents)) {
    const id = idOf(name);
    messages[id] = { name, summary: event.summary, payload: jsonSchema(event.payload, 'output') };
    operations[id] = {
      action: 'send',
      channel,
      title: name,
      summary: event.summary,
      description: event.description,
      messages: [message(id)],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: '匠心 Jiangxin live push (Socket.IO)',
      version: info.version,
      description:
        '实时成绩推送。 The live standings pushed to big screens, spectators’ phones and staff consoles. ' +
        "Connect with socket.io-client: `io(origin, { transports: ['websocket', 'polling'], auth: { token } })` " +
        '(path /socket.io/, default namespace). The token is an account’s, a judge’s or a display’s; without ' +
        'one the socket is public; an invalid or expired one fails the connection with `connect_error` ' +
        '"unauthenticated". Each event name below is the Socket.IO event name; a client event’s reply is ' +
        'its acknowledgement (`socket.emitWithAck`). Messages are in zh-CN, or English with ' +
        '`Accept-Language: en` on the handshake. After a reconnection, `socket.recovered` false means: join ' +
        'again. Rooms are per audience: `staff` (chief judge, organizer) sees unpublished rounds and live ' +
        'standings during a freeze; `public` is everyone else.',
    },
    defaultContentType: 'application/json',
    servers: {
      venue: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'The API’s own origin: Socket.IO shares the HTTP server.',
      },
    },
    channels: {
      live: {
        address: '/',
        title: 'Default namespace',
        description: 'Every event goes over the default namespace; rooms are joined only through the events.',
        messages,
      },
    },
    operations,
  };
}
