import { Redis } from 'ioredis';
import { openConfiguredDatabase } from '../configured-database';
import { RedisLiveStore } from '../live/redis-store';
import { createLiveState } from '../live/service';

/**
 * `pnpm live:check [--rebuild]`: compares the live state in Redis (REDIS_URL) with a full recomputation
 * from the database the server uses and names every difference; with --rebuild, first rebuilds the live
 * state from the database. Exit code 0 when they agree, 1 when they differ, 2 when it cannot run.
 */
async function main(argv: readonly string[]): Promise<number> {
  const rebuild = argv.includes('--rebuild');
  if (argv.some((a) => a !== '--rebuild')) {
    console.error('usage: pnpm live:check [--rebuild]');
    return 2;
  }
  const opened = await openConfiguredDatabase((env) =>
    env.REDIS_URL
      ? null
      : 'REDIS_URL is not set: without Redis the live state lives inside the server process.',
  );
  const redisUrl = opened?.env.REDIS_URL;
  if (!opened || !redisUrl) return 2;
  const { handle } = opened;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const store = new RedisLiveStore(redis);
  try {
    const live = createLiveState(handle.db, store);
    if (rebuild) console.log(`rebuilt ${await live.rebuild()} round(s) from the database`);
    const differences = await live.check();
    for (const d of differences) console.log(d);
    console.log(
      differences.length === 0
        ? 'OK: the live state equals the recomputation'
        : `${differences.length} difference(s)`,
    );
    return differences.length === 0 ? 0 : 1;
  } finally {
    await redis.quit();
    await handle.close();
  }
}

process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--'));
