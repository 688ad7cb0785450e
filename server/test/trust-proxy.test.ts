import type { FastifyInstance } from 'fastify';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import type { TrustProxy } from '../src/client-address';
import { createOrganizerAccount } from '../src/modules/auth/accounts';
import { openTestDatabase } from './databases';
import { type LiveClient, listen } from './realtime-support';

/**
 * Per-address limits behind a reverse proxy (TRUST_PROXY): every client reaches the server from the proxy's
 * address, so only a trusted proxy's X-Forwarded-For may tell them apart, and no one else's. Real listening
 * servers on Postgres, real HTTP and Socket.IO clients from 127.0.0.1 (the "proxy").
 */

/** A listening app trusting `trustProxy`, with one live connection per address and one staff account. */
function served(trustProxy: TrustProxy) {
  const server = {} as { app: FastifyInstance; origin: string };
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    server.app = await buildApp({
      database: await openTestDatabase('postgres'),
      clientDist: '/nonexistent',
      trustProxy,
      liveLimits: { connectionsPerAddress: 1 },
    });
    await createOrganizerAccount(server.app.db, {
      username: 'scorer',
      displayName: '记分员',
      password: 'right-password-1',
    });
    server.origin = await listen(server.app);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.app.close();
  });

  const login = (password: string, forwardedFor: string) =>
    fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username: 'scorer', password }),
    });
  /** A live connection as forwarded for `forwardedFor`: connected, or the server's refusal. */
  const connectAs = (forwardedFor: string) =>
    new Promise<'connected' | string>((resolve) => {
      const socket: LiveClient = io(server.origin, {
        transports: ['websocket'],
        extraHeaders: { 'x-forwarded-for': forwardedFor },
        forceNew: true,
        reconnection: false,
      });
      sockets.push(socket);
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(error.message));
    });
  /** Five wrong passwords from one client: its sixth attempt is locked out. */
  const lockOut = async (forwardedFor: string) => {
    for (let i = 0; i < 5; i++) expect((await login('wrong', forwardedFor)).status).toBe(401);
    expect((await login('wrong', forwardedFor)).status).toBe(429);
  };
  return { login, connectAs, lockOut };
}

describe('TRUST_PROXY=127.0.0.1: the proxy forwards its clients’ addresses', () => {
  const { login, connectAs, lockOut } = served(['127.0.0.1']);

  it('gives two forwarded clients separate sign-in budgets', async () => {
    await lockOut('203.0.113.7');
    expect((await login('right-password-1', '203.0.113.7')).status).toBe(429);
    expect((await login('right-password-1', '203.0.113.8')).status).toBe(200);
  });

  it('gives two forwarded clients separate live connection budgets', async () => {
    expect(await connectAs('203.0.113.7')).toBe('connected');
    expect(await connectAs('203.0.113.8')).toBe('connected');
    expect(await connectAs('203.0.113.7')).toBe('too_many_connections');
  });
});

describe('TRUST_PROXY off (the default): X-Forwarded-For is ignored', () => {
  const { login, connectAs, lockOut } = served(false);

  it('keeps one sign-in budget for the connection’s address, whatever the header says', async () => {
    await lockOut('203.0.113.7');
    // Another forwarded address is no way out of the lock-out.
    expect((await login('right-password-1', '203.0.113.8')).status).toBe(429);
  });

  it('keeps one live connection budget for the connection’s address, whatever the header says', async () => {
    expect(await connectAs('203.0.113.7')).toBe('connected');
    expect(await connectAs('203.0.113.8')).toBe('too_many_connections');
  });
});

describe('TRUST_PROXY names a proxy the connection does not come from', () => {
  const { login } = served(['10.0.0.0/8']);

  it('ignores the header of a client that is not that proxy', async () => {
    for (let i = 0; i < 5; i++) expect((await login('wrong', `198.51.100.${i}`)).status).toBe(401);
    expect((await login('right-password-1', '198.51.100.99')).status).toBe(429);
  });
});
