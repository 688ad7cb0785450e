import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type TrustProxy, trustFunction } from './client-address';
import { FAULT_POINTS, type FaultPoint } from './faults';

/** Under the tests (vitest sets NODE_ENV=test): the live stores freeze what they hold, so a change to one throws. */
export const underTest = process.env.NODE_ENV === 'test';

export const defaultDataDir = fileURLToPath(new URL('../../.data', import.meta.url));

/**
 * The server's configuration. This is the only module that reads process.env: everything else receives
 * the validated values. Invalid settings stop the start with one message listing every problem.
 *
 * - PORT: the HTTP port (default 3000).
 * - HOST: the address to listen on (default 127.0.0.1, this computer only). HOST=0.0.0.0 serves the
 *   venue LAN, so judges' tablets and the big screens can reach the server.
 * - LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent.
 * - DATABASE_URL: a Postgres server (postgres://…). Unset: the embedded PGlite database in DATA_DIR.
 * - DATA_DIR: where the embedded database and the generated secret live (default .data at the repository).
 * - REDIS_URL: the live state in Redis (redis://…), for several server processes. Unset: kept in process.
 * - SECRET: signs tokens and hashes ID numbers (at least 32 characters). Unset: generated once and kept in
 *   DATA_DIR/secret, so a restart keeps everyone signed in.
 * - DEMO_PLAY: on (default) or off. On the embedded default, `on` plays a diving final by itself (simulated
 *   judges marking through the API, round after round) so /screen and /live show marks arriving.
 * - LIVE_CONNECTIONS_PER_ADDRESS: live (Socket.IO) connections one address may hold at once (default 3000:
 *   a venue's screens and phones behind one NAT share an address).
 * - TRUST_PROXY: off (default: a client's address is its connection's, X-Forwarded-For is ignored), the
 *   number of proxies in front of the server, or the proxies' addresses / CIDR ranges, comma-separated
 *   (e.g. 127.0.0.1 or 10.0.0.0/8,loopback). Behind a reverse proxy, per-address limits (sign-in, pairing,
 *   live connections) need it, or every client has the proxy's address.
 * - JIANGXIN_FAULT: <point>:<n>, for the fault suite only (see faults.ts): the process kills itself there.
 */
const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const envSchema = z.object({
  DATABASE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  DATA_DIR: z.preprocess(blankAsUnset, z.string().default(defaultDataDir)),
  REDIS_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  ),
  SECRET: z.preprocess(blankAsUnset, z.string().min(32, 'must be at least 32 characters').optional()),
  PORT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(3000),
  ),
  HOST: z.preprocess(blankAsUnset, z.string().trim().default('127.0.0.1')),
  LIVE_CONNECTIONS_PER_ADDRESS: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .default(3000),
  ),
  TRUST_PROXY: z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .optional()
      .transform((value, context): TrustProxy => {
        if (value === undefined || ['off', 'false'].includes(value.toLowerCase())) return false;
        if (/^\d+$/.test(value)) return Number(value);
        if (['on', 'true'].includes(value.toLowerCase())) {
          context.addIssue({
            code: 'custom',
            message:
              'must name the proxies (addresses, CIDR ranges) or their number: trusting every address lets any client choose its own',
          });
          return z.NEVER;
        }
        const list = value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '');
        try {
          trustFunction(list);
        } catch (error) {
          context.addIssue({
            code: 'custom',
            message: `must be off, a number of proxies, or addresses / CIDR ranges separated by commas (${(error as Error).message})`,
          });
          return z.NEVER;
        }
        return list;
      }),
  ),
  JIANGXIN_FAULT: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(
        new RegExp(`^(${FAULT_POINTS.join('|')}):[1-9][0-9]*$`),
        `must be <point>:<n>, the point one of ${FAULT_POINTS.join(', ')}`,
      )
      .transform((value) => {
        const [point, at] = value.split(':');
        return { point: point as FaultPoint, at: Number(at) };
      })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
  DEMO_PLAY: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUnset(value.trim().toLowerCase()) : value),
    z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  ),
});

export interface Env {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  REDIS_URL?: string | undefined;
  SECRET?: string | undefined;
  PORT: number;
  HOST: string;
  LIVE_CONNECTIONS_PER_ADDRESS: number;
  /** Which proxies' X-Forwarded-For is believed: none (false), a hop count, or addresses and ranges. */
  TRUST_PROXY: TrustProxy;
  /** The fault suite's self-kill point (faults.ts); unset in every real deployment. */
  JIANGXIN_FAULT?: { point: FaultPoint; at: number } | undefined;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Whether the embedded default plays its demo final by itself. */
  DEMO_PLAY: 'on' | 'off';
  /** Whether PORT was chosen explicitly (if not, the server may move to a free port nearby). */
  portChosen: boolean;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The server's settings are invalid (环境变量有误):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix or unset them and start again; see README.md.',
    );
    this.name = 'EnvError';
  }
}

/** Validates the environment (by default process.env); throws EnvError listing every invalid variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `${name}=${JSON.stringify(source[name] ?? '')} ${issue.message}`;
      }),
    );
  }
  return { ...parsed.data, portChosen: blankAsUnset(source.PORT) !== undefined };
}
