import type { Redis } from 'ioredis';
import type { LiveRound, LiveRoundInput, LiveStore, PushClaim } from './store';

/**
 * A round's first entry in this Redis takes its version from the clock (milliseconds): when Redis restarted
 * empty, versions start above any a screen still holds, never again at 1 (a screen holding version 3 would
 * take a different round state numbered 3 for the one it has, and apply deltas on top of it).
 *
 * Compare-and-set in one Redis step: keep the entry computed from the later source (several processes may
 * recompute the same round at once), bump the version, remember the round in the index, and replace the
 * round's ranking: a sorted set of workstation codes scored by their place in the engine's order, which is
 * the tie-break chain's verdict (ZRANGE gives the standings, ZRANK a competitor's place).
 */
const PUT = `
local current = redis.call('HGET', KEYS[1], 'sourceVersion')
if current and tonumber(current) > tonumber(ARGV[1]) then return nil end
local version
if current then
  version = redis.call('HINCRBY', KEYS[1], 'version', 1)
else
  local now = redis.call('TIME')
  version = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  redis.call('HSET', KEYS[1], 'version', version)
end
redis.call('HSET', KEYS[1], 'sourceVersion', ARGV[1], 'body', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[3])
for i = 4, #ARGV do redis.call('ZADD', KEYS[3], i - 4, ARGV[i]) end
return version
`;

/**
 * The push claim in one Redis step: nothing to do when the pushed version is current; wait while another
 * process's push is younger than the interval (the lease key); else take the lease and move the pushed
 * copy to the current entry, returning both sides of the change.
 */
const CLAIM = `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return {'none'} end
local sentVersion = redis.call('HGET', KEYS[1], 'sentVersion')
if sentVersion == version then return {'none'} end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  return {'wait', tostring(redis.call('PTTL', KEYS[2]))}
end
local f = redis.call('HMGET', KEYS[1], 'sourceVersion', 'body', 'sentSource', 'sentBody')
redis.call('HSET', KEYS[1], 'sentVersion', version, 'sentSource', f[1], 'sentBody', f[2])
if not sentVersion then return {'send', version, f[1], f[2]} end
return {'send', version, f[1], f[2], sentVersion, f[3], f[4]}
`;

type Body = Omit<LiveRound, 'version' | 'sourceVersion'>;

const entryOf = (version: string, sourceVersion: string, body: string): LiveRound => ({
  ...(JSON.parse(body) as Body),
  sourceVersion: Number(sourceVersion),
  version: Number(version),
});

export class RedisLiveStore implements LiveStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  /** On a connection its owner opened and closes; `prefix` keeps deployments (or test runs) apart. */
  constructor(redis: Redis, options: { prefix?: string } = {}) {
    this.redis = redis;
    this.prefix = options.prefix ?? 'jx:live:';
  }

  private roundKey(roundId: string) {
    return `${this.prefix}round:${roundId}`;
  }

  private rankingKey(roundId: string) {
    return `${this.prefix}round:${roundId}:ranking`;
  }

  private leaseKey(roundId: string) {
    return `${this.prefix}push:${roundId}`;
  }

  private get builtKey() {
    return `${this.prefix}built`;
  }

  private get roundsKey() {
    return `${this.prefix}rounds`;
  }

  async put(entry: LiveRoundInput): Promise<number | null> {
    const { sourceVersion, ...rest } = entry;
    const version = await this.redis.eval(
      PUT,
      3,
      this.roundKey(entry.roundId),
      this.roundsKey,
      this.rankingKey(entry.roundId),
      String(sourceVersion),
      JSON.stringify(rest),
      entry.roundId,
      ...entry.event.standings.map((s) => s.competitor),
    );
    return version === null ? null : Number(version);
  }

  async get(roundId: string): Promise<LiveRound | null> {
    return (await this.entries(roundId))?.current ?? null;
  }

  async entries(roundId: string): Promise<{ current: LiveRound; pushed: LiveRound | null } | null> {
    const [version, source, body, sentVersion, sentSource, sentBody] = await this.redis.hmget(
      this.roundKey(roundId),
      'version',
      'sourceVersion',
      'body',
      'sentVersion',
      'sentSource',
      'sentBody',
    );
    if (!version || !source || !body) return null;
    return {
      current: entryOf(version, source, body),
      pushed: sentVersion && sentSource && sentBody ? entryOf(sentVersion, sentSource, sentBody) : null,
    };
  }

  async ranking(roundId: string): Promise<string[]> {
    return this.redis.zrange(this.rankingKey(roundId), 0, -1);
  }

  async claimPush(roundId: string, intervalMs: number): Promise<PushClaim> {
    const reply = (await this.redis.eval(
      CLAIM,
      2,
      this.roundKey(roundId),
      this.leaseKey(roundId),
      String(Math.max(1, Math.round(intervalMs))),
    )) as string[];
    const [kind, ...rest] = reply;
    if (kind === 'wait') return { kind: 'wait', ms: Math.max(1, Number(rest[0])) };
    if (kind !== 'send') return { kind: 'none' };
    const [version, source, body, sentVersion, sentSource, sentBody] = rest as [
      string,
      string,
      string,
      string?,
      string?,
      string?,
    ];
    return {
      kind: 'send',
      current: entryOf(version, source, body),
      previous: sentVersion && sentSource && sentBody ? entryOf(sentVersion, sentSource, sentBody) : null,
    };
  }

  async roundIds(): Promise<string[]> {
    return this.redis.smembers(this.roundsKey);
  }

  async intact(): Promise<boolean> {
    return (await this.redis.exists(this.builtKey)) === 1;
  }

  async markBuilt(): Promise<void> {
    await this.redis.set(this.builtKey, new Date().toISOString());
  }

  async clear(): Promise<void> {
    const ids = await this.roundIds();
    if (ids.length > 0) await this.redis.del(...ids.flatMap((id) => [this.roundKey(id), this.leaseKey(id)]));
    await this.redis.del(this.roundsKey, this.builtKey);
  }

  async close(): Promise<void> {
    // The connection belongs to whoever opened it (the app's redis plugin, a command, a test).
  }
}
