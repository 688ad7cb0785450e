import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** Redis when several processes serve (the live view and the push share it); null in one process. */
    redis: RedisConnections | null;
  }
}

export interface RedisConnections {
  /** Commands (the live view's store). */
  commands: Redis;
  /** The push's stream reads, which block their connection: a second connection of the same client. */
  streams: Redis;
  /** Keeps several deployments (or test runs) apart on one Redis. */
  prefix: string;
}

/** Opens Redis once for the whole app, and closes it after everything that uses it. */
async function redis(
  app: FastifyInstance,
  options: { url?: string | undefined; prefix?: string | undefined },
) {
  if (!options.url) {
    app.decorate('redis', null);
    return;
  }
  const commands = new Redis(options.url, { maxRetriesPerRequest: 3 });
  const connections: RedisConnections = {
    commands,
    streams: commands.duplicate(),
    prefix: options.prefix ?? 'jx:',
  };
  app.decorate('redis', connections);
  app.addHook('onClose', async () => {
    await Promise.all([connections.streams.quit(), connections.commands.quit()]);
  });
}

export default fp(redis, { name: 'redis' });
