import { Redis } from 'ioredis';
import type { LiveRound, LiveRoundInput, LiveStore } from './store';

/**
 * Compare-and-set in one Redis step: keep the entry computed from the later source (several processes may
 * recompute the same round at once), bump the version, and remember the round in the index.
 */
const PUT = `
local current = redis.call('HGET', KEYS[1], 'sourceVersion')
if current and tonumber(current) > tonumber(ARGV[1]) then return nil end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'sourceVersion', ARGV[1], 'body', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return version
`;

export class RedisLiveStore implements LiveStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  /** `prefix` keeps several deployments (or test runs) apart on one Redis. */
  constructor(url: string, options: { prefix?: string } = {}) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.prefix = options.prefix ?? 'jx:live:';
  }

  private roundKey(roundId: string) {
    return `${this.prefix}round:${roundId}`;
  }

  private get roundsKey() {
    return `${this.prefix}rounds`;
  }

  async put(entry: LiveRoundInput): Promise<number | null> {
    const { sourceVersion, ...rest } = entry;
    const version = await this.redis.eval(
      PUT,
      2,
      this.roundKey(entry.roundId),
      this.roundsKey,
      String(sourceVersion),
      JSON.stringify(rest),
      entry.roundId,
    );
    return version === null ? null : Number(version);
  }

  async get(roundId: string): Promise<LiveRound | null> {
    const fields = await this.redis.hgetall(this.roundKey(roundId));
    if (!fields.body || !fields.version || !fields.sourceVersion) return null;
    const body = JSON.parse(fields.body) as Omit<LiveRound, 'version' | 'sourceVersion'>;
    return { ...body, sourceVersion: Number(fields.sourceVersion), version: Number(fields.version) };
  }

  async roundIds(): Promise<string[]> {
    return this.redis.smembers(this.roundsKey);
  }

  async clear(): Promise<void> {
    const ids = await this.roundIds();
    if (ids.length > 0) await this.redis.del(...ids.map((id) => this.roundKey(id)));
    await this.redis.del(this.roundsKey);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
