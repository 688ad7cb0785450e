import type { Redis } from 'ioredis';
import { entryText } from './entry-text';
import { PACE_BURST, PACE_GAP } from './pace';
import { kept, type LiveRound, type LiveRoundInput, type LiveStore, type PushClaim } from './store';

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
 * The push claim in one Redis step: nothing to do when the pushed version is current; wait while the round's
 * pushes from every process are ahead of their pace (pace.ts, kept in the lease key, on Redis's clock); else
 * take the turn and move the pushed copy to the current entry, returning both sides of the change. A body is
 * left out ('') when its version and source are among those the caller holds already (ARGV[2…],
 * `version:source`).
 */
const CLAIM = `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return {'none'} end
local sentVersion = redis.call('HGET', KEYS[1], 'sentVersion')
if sentVersion == version then return {'none'} end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local interval = tonumber(ARGV[1])
local paced = redis.call('HMGET', KEYS[2], 'due', 'last')
local due = math.max(tonumber(paced[1] or '0'), now)
local ahead = due - now - interval * ${PACE_BURST - 1}
local wait = math.max(ahead, tonumber(paced[2] or '0') + interval * ${PACE_GAP} - now)
if wait > 0 then return {'wait', tostring(math.ceil(wait))} end
redis.call('HSET', KEYS[2], 'due', due + interval, 'last', now)
redis.call('PEXPIRE', KEYS[2], due + interval - now)
local held = {}
for i = 2, #ARGV do held[ARGV[i]] = true end
local f = redis.call('HMGET', KEYS[1], 'sourceVersion', 'body', 'sentSource', 'sentBody')
redis.call('HSET', KEYS[1], 'sentVersion', version, 'sentSource', f[1], 'sentBody', f[2])
local body = f[2]
if held[version .. ':' .. f[1]] then body = '' end
if not sentVersion then return {'send', version, f[1], body} end
local sentBody = f[4]
if held[sentVersion .. ':' .. f[3]] then sentBody = '' end
return {'send', version, f[1], body, sentVersion, f[3], sentBody}
`;

/** The current entry and the pushed one, bodies left out as in CLAIM for what the caller holds (ARGV). */
const ENTRIES = `
local f = redis.call('HMGET', KEYS[1], 'version', 'sourceVersion', 'body', 'sentVersion', 'sentSource', 'sentBody')
if not f[1] then return {} end
local held = {}
for i = 1, #ARGV do held[ARGV[i]] = true end
if held[f[1] .. ':' .. f[2]] then f[3] = '' end
if not f[4] then return {f[1], f[2], f[3]} end
if held[f[4] .. ':' .. f[5]] then f[6] = '' end
return {f[1], f[2], f[3], f[4], f[5], f[6]}
`;

type Body = Omit<LiveRound, 'version' | 'sourceVersion'>;

const entryOf = (version: string, sourceVersion: string, body: string): LiveRound => ({
  ...(JSON.parse(body) as Body),
  sourceVersion: Number(sourceVersion),
  version: Number(version),
});

/** Entries kept per round: the ones this process stored or read last, so a push does not parse them again. */
const HELD_PER_ROUND = 3;
const HELD_ROUNDS = 500;

export class RedisLiveStore implements LiveStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  /** roundId → `version:source` → the entry (never mutated: the store hands the same object to every reader). */
  private readonly held = new Map<string, Map<string, LiveRound>>();

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

  // A hash (pace.ts); named apart from the plain string older versions kept, so both can run side by side.
  private leaseKey(roundId: string) {
    return `${this.prefix}paced:${roundId}`;
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
      entryText(rest),
      entry.roundId,
      ...entry.event.standings.map((s) => s.competitor),
    );
    if (version === null) return null;
    this.hold({ ...entry, version: Number(version) });
    return Number(version);
  }

  private hold(entry: LiveRound) {
    let round = this.held.get(entry.roundId);
    if (!round) {
      round = new Map();
      this.held.set(entry.roundId, round);
      if (this.held.size > HELD_ROUNDS) this.held.delete(this.held.keys().next().value ?? '');
    }
    round.set(`${entry.version}:${entry.sourceVersion}`, kept(entry));
    if (round.size > HELD_PER_ROUND) round.delete(round.keys().next().value ?? '');
  }

  /** The entry of that version: the one held when the script was called (`mine`), or the body parsed (and held). */
  private entry(
    roundId: string,
    mine: ReadonlyMap<string, LiveRound>,
    version: string,
    source: string,
    body: string,
  ): LiveRound {
    const known = mine.get(`${version}:${source}`);
    if (known) return known;
    if (body === '') throw new Error(`live round ${roundId} version ${version}: body left out but not held`);
    const entry = entryOf(version, source, body);
    this.hold(entry);
    return entry;
  }

  async get(roundId: string): Promise<LiveRound | null> {
    return (await this.entries(roundId))?.current ?? null;
  }

  async entries(roundId: string): Promise<{ current: LiveRound; pushed: LiveRound | null } | null> {
    const mine = new Map(this.held.get(roundId));
    const reply = (await this.redis.eval(ENTRIES, 1, this.roundKey(roundId), ...mine.keys())) as string[];
    const [version, source, body, sentVersion, sentSource, sentBody] = reply;
    if (!version || !source || body === undefined) return null;
    return {
      current: this.entry(roundId, mine, version, source, body),
      pushed:
        sentVersion && sentSource && sentBody !== undefined
          ? this.entry(roundId, mine, sentVersion, sentSource, sentBody)
          : null,
    };
  }

  async ranking(roundId: string): Promise<string[]> {
    return this.redis.zrange(this.rankingKey(roundId), 0, -1);
  }

  async claimPush(roundId: string, intervalMs: number): Promise<PushClaim> {
    const mine = new Map(this.held.get(roundId));
    const reply = (await this.redis.eval(
      CLAIM,
      2,
      this.roundKey(roundId),
      this.leaseKey(roundId),
      String(Math.max(1, Math.round(intervalMs))),
      ...mine.keys(),
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
      current: this.entry(roundId, mine, version, source, body),
      previous:
        sentVersion && sentSource && sentBody !== undefined
          ? this.entry(roundId, mine, sentVersion, sentSource, sentBody)
          : null,
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
    this.held.clear();
    const ids = await this.roundIds();
    if (ids.length > 0) await this.redis.del(...ids.flatMap((id) => [this.roundKey(id), this.leaseKey(id)]));
    await this.redis.del(this.roundsKey, this.builtKey);
  }

  async close(): Promise<void> {
    // The connection belongs to whoever opened it (the app's redis plugin, a command, a test).
  }
}
