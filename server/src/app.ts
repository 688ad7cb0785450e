import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type TrustProxy, trustFunction } from './client-address';
import { type DatabaseHandle, openDatabase } from './db/client';
import authRoutes from './modules/auth/routes';
import authService from './modules/auth/service';
import exportsService from './modules/exports/plugin';
import exportsRoutes from './modules/exports/routes';
import healthRoutes from './modules/health/routes';
import honoursService from './modules/honours/plugin';
import honoursRoutes from './modules/honours/routes';
import marksService from './modules/marks/plugin';
import marksRoutes from './modules/marks/routes';
import type { PoolLimits } from './modules/results/pool';
import resultsRoutes from './modules/results/routes';
import setupRoutes from './modules/setup/routes';
import setupService from './modules/setup/service';
import templatesRoutes from './modules/templates/routes';
import auth from './plugins/auth';
import changes from './plugins/changes';
import client from './plugins/client';
import database from './plugins/database';
import errors, { frameworkErrors } from './plugins/errors';
import live from './plugins/live';
import openapi from './plugins/openapi';
import realtime from './plugins/realtime';
import redis from './plugins/redis';
import validation from './plugins/validation';
import type { LiveLimits } from './realtime/limits';
import liveRoutes from './realtime/routes';

/**
 * The application as a tree of plugins. Cross-cutting plugins (errors, validation) come first; the API
 * modules live under /api; the client plugin serves the built web client and answers everything else.
 * server.ts starts it; tests build it and call it through `app.inject`.
 */
export interface AppOptions {
  /** The source of truth; opened by server.ts from the environment. */
  database: DatabaseHandle;
  /** Signs tokens and hashes ID numbers. */
  secret: string;
  /**
   * Redis when several processes serve: the live view lives there and the push goes through its streams
   * (Socket.IO streams adapter); `prefix` keeps deployments (or test runs) apart. Unset: one process,
   * everything in it.
   */
  redis?: { url: string; prefix?: string };
  /** Keeps the live view in this process even with Redis (tests of the push alone). */
  liveInProcess?: boolean;
  /** The built web client; by default client/dist of this repository. */
  clientDist?: string;
  /** The live push's budgets per socket and per address (defaults in realtime/limits.ts). */
  liveLimits?: Partial<LiveLimits>;
  /**
   * Which proxies' X-Forwarded-For gives a client's address (TRUST_PROXY): for request.ip and the sockets'
   * address alike, so per-address limits see clients, not the proxy. Default: none.
   */
  trustProxy?: TrustProxy;
  /** The verify tool's worker threads: how many, how many files wait, each file's time (modules/results). */
  resultsLimits?: Partial<PoolLimits>;
}

export const defaultClientDist = fileURLToPath(new URL('../../client/dist', import.meta.url));

export async function app(instance: FastifyInstance, options: AppOptions) {
  await instance.register(errors);
  await instance.register(validation);
  // Security headers; the client is served from this origin only (no CDN: venues are offline).
  await instance.register(helmet, {
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
    hsts: false,
  });
  await instance.register(openapi);
  await instance.register(database, { handle: options.database });
  await instance.register(changes);
  await instance.register(redis, { url: options.redis?.url, prefix: options.redis?.prefix });
  await instance.register(live, { inProcess: options.liveInProcess ?? false });
  await instance.register(auth, { secret: options.secret });
  await instance.register(authService);
  await instance.register(marksService);
  await instance.register(setupService);
  await instance.register(honoursService);
  await instance.register(exportsService);
  await instance.register(realtime, {
    limits: options.liveLimits,
    trust: trustFunction(options.trustProxy ?? false),
  });
  await instance.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(templatesRoutes);
      await api.register(resultsRoutes, { limits: options.resultsLimits });
      await api.register(authRoutes);
      await api.register(setupRoutes);
      await api.register(marksRoutes);
      await api.register(honoursRoutes);
      await api.register(liveRoutes);
      await api.register(exportsRoutes);
    },
    { prefix: '/api' },
  );
  await instance.register(client, { dist: options.clientDist ?? defaultClientDist });
}

/** How the Fastify instance the app is registered on is created (buildApp, and the tests' own instances). */
export const fastifyOptions = {
  // The routes that take a file set their own limit; everything else keeps Fastify's 1 MiB.
  bodyLimit: 1024 * 1024,
  routerOptions: { ignoreTrailingSlash: true },
  // plugins/errors.ts answers requests that reach a closing process (with Retry-After and a code).
  return503OnClosing: false,
  // The router's own refusals (a badly encoded path, an overlong segment) answer like every other error.
  frameworkErrors,
} satisfies FastifyServerOptions;

export interface BuildOptions extends Partial<AppOptions> {
  logger?: FastifyServerOptions['logger'];
  /** How requests are logged (e.g. which requests' lines are left out). */
  logController?: FastifyServerOptions['logController'];
}

/**
 * Creates the Fastify instance with the application registered and ready (not yet listening). Without a
 * database it opens an in-memory PGlite (tests, throwaway demos); without a secret it makes a random one.
 */
export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const instance = Fastify({
    ...fastifyOptions,
    logger: options.logger ?? false,
    ...(options.logController ? { logController: options.logController } : {}),
    trustProxy: trustFunction(options.trustProxy ?? false),
  });
  await app(instance, {
    ...options,
    database: options.database ?? (await openDatabase({ dataDir: null })),
    secret: options.secret ?? randomBytes(32).toString('hex'),
  });
  await instance.ready();
  return instance;
}
