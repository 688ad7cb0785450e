import { describe, expect, it } from 'vitest';
import { defaultDataDir, EnvError, loadEnv } from './env';

describe('loadEnv', () => {
  it('defaults to port 3000 on this computer only', () => {
    expect(loadEnv({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: undefined,
      DATA_DIR: defaultDataDir,
      SECRET: undefined,
      DEMO_PLAY: 'on',
      LIVE_CONNECTIONS_PER_ADDRESS: 3000,
      TRUST_PROXY: false,
      portChosen: false,
    });
    expect(loadEnv({ PORT: '', HOST: ' ' })).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      portChosen: false,
    });
  });

  it('reads the venue LAN settings', () => {
    expect(loadEnv({ PORT: '8080', HOST: '0.0.0.0', LOG_LEVEL: 'warn' })).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'warn',
      portChosen: true,
    });
  });

  it('takes a Postgres URL and refuses a short secret', () => {
    expect(loadEnv({ DATABASE_URL: 'postgres://db/jx' }).DATABASE_URL).toBe('postgres://db/jx');
    expect(() => loadEnv({ DATABASE_URL: 'mysql://db', SECRET: 'short' })).toThrow(
      /DATABASE_URL="mysql:\/\/db" must be a postgres:\/\/ URL\n {2}- SECRET="short" must be at least 32 characters/,
    );
  });

  it('plays the demo unless DEMO_PLAY=off', () => {
    expect(loadEnv({ DEMO_PLAY: 'off' }).DEMO_PLAY).toBe('off');
    expect(loadEnv({ DEMO_PLAY: ' OFF ' }).DEMO_PLAY).toBe('off');
    expect(loadEnv({ DEMO_PLAY: '' }).DEMO_PLAY).toBe('on');
    expect(() => loadEnv({ DEMO_PLAY: 'no' })).toThrow(/DEMO_PLAY="no" must be on or off/);
  });

  it('trusts no proxy unless TRUST_PROXY names them or their number', () => {
    expect(loadEnv({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
    expect(loadEnv({ TRUST_PROXY: 'off' }).TRUST_PROXY).toBe(false);
    expect(loadEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadEnv({ TRUST_PROXY: '127.0.0.1' }).TRUST_PROXY).toEqual(['127.0.0.1']);
    expect(loadEnv({ TRUST_PROXY: ' 10.0.0.0/8, loopback ' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      'loopback',
    ]);
    expect(() => loadEnv({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY="true" must name the proxies \(addresses, CIDR ranges\) or their number/,
    );
    expect(() => loadEnv({ TRUST_PROXY: '10.0.0.0/99,proxy' })).toThrow(
      /TRUST_PROXY="10.0.0.0\/99,proxy" must be off, a number of proxies, or addresses \/ CIDR ranges/,
    );
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      loadEnv({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const { problems, message } = error as EnvError;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^PORT="eighty" must be a number/);
    expect(problems[1]).toMatch(/^LOG_LEVEL="loud" must be one of/);
    expect(message).toContain('PORT');
    expect(() => loadEnv({ PORT: '70000' })).toThrow(/PORT="70000" must be between 0 and 65535/);
  });
});
