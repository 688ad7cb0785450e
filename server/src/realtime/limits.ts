import type { FastifyInstance } from 'fastify';
import { clientAddress, type TrustFunction } from '../client-address';
import { AppError } from '../plugins/errors';
import { handshakeOf, type LiveServer, type LiveSocket } from './rounds';

/**
 * What one socket, and one address, may take of the only event loop: events per second (a token bucket
 * per socket), rooms joined at once, and concurrent connections per address. The budgets are generous for
 * a screen or a phone, and a venue's NAT (every tablet and screen behind one address) stays well inside
 * the connection cap.
 */
export interface LiveLimits {
  /** Events a socket may send per second, on average. */
  eventsPerSecond: number;
  /** Events a socket may send at once after being quiet. */
  burst: number;
  /** A socket still refused after this long (refusals less than a second apart) is disconnected. */
  floodSeconds: number;
  /** Rounds and competitions one socket may have joined at once (a screen rotating across events). */
  roomsPerSocket: number;
  /** Concurrent connections from one address. */
  connectionsPerAddress: number;
  /** Characters waiting for a socket that stopped reading, beyond which it is dropped (memory stays bounded). */
  sendBufferChars: number;
}

export const defaultLiveLimits: LiveLimits = {
  eventsPerSecond: 20,
  burst: 40,
  floodSeconds: 5,
  roomsPerSocket: 50,
  // server.ts sets it from LIVE_CONNECTIONS_PER_ADDRESS (env.ts, the same default).
  connectionsPerAddress: 3000,
  // Many seconds of pushes and snapshots for a screen that reads; a stalled one is dropped past it.
  sendBufferChars: 1024 * 1024,
};

export const rateLimited = () =>
  new AppError(429, 'rate_limited', {
    'zh-CN': '请求过于频繁：请稍候再试',
    en: 'too many requests on this connection: wait a moment and try again',
  });

export const tooManyRooms = (max: number) =>
  new AppError(429, 'too_many_rooms', {
    'zh-CN': `一个连接最多同时关注 ${max} 个场次或竞赛：请先退出不再显示的`,
    en: `one connection may follow at most ${max} rounds or competitions at once: leave one no longer shown first`,
  });

export const tooManyConnections = () =>
  new AppError(429, 'too_many_connections', {
    'zh-CN': '来自此地址的实时连接过多：请关闭不用的页面后重试',
    en: 'too many live connections from this address: close pages not in use and try again',
  });

/** The rooms a socket follows (its own room and its session rooms are not counted). */
const followedRooms = (socket: LiveSocket) =>
  [...socket.rooms].filter((room) => room.startsWith('round:') || room.startsWith('competition:'));

/** Refuses a join that would take the socket over its rooms; a room it already follows may be joined again. */
export function checkRoomCap(socket: LiveSocket, rooms: readonly string[], max: number) {
  if (rooms.some((room) => socket.rooms.has(room))) return;
  if (followedRooms(socket).length >= max) throw tooManyRooms(max);
}

/**
 * Every event of every socket passes a token bucket first: beyond it the acknowledgement says rate_limited
 * and nothing else runs; a socket refused without a second's pause for `floodSeconds` is ended.
 */
export function limitEvents(io: LiveServer, limits: LiveLimits) {
  io.on('connection', (socket) => {
    let tokens = limits.burst;
    let filledAt = Date.now();
    let refusedSince: number | null = null;
    let refusedAt = 0;
    socket.use((packet, next) => {
      const now = Date.now();
      tokens = Math.min(limits.burst, tokens + ((now - filledAt) / 1000) * limits.eventsPerSecond);
      filledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        next();
        return;
      }
      if (refusedSince === null || now - refusedAt > 1000) refusedSince = now;
      refusedAt = now;
      if (now - refusedSince > limits.floodSeconds * 1000) {
        socket.emit('session:ended', { reason: 'flooding' });
        socket.disconnect(true);
        return;
      }
      const ack = packet.at(-1);
      if (typeof ack === 'function') {
        const refusal = rateLimited();
        ack({ error: { code: refusal.code, message: refusal.messages[socket.data.locale] } });
      }
    });
  });
}

/**
 * The client's address as one key (behind trusted proxies, the one they forwarded), an IPv4 client the
 * same over IPv4 and IPv6 sockets.
 */
const addressOf = (socket: LiveSocket, trust: TrustFunction) =>
  clientAddress(socket.request, trust).replace(/^::ffff:/, '');

/**
 * Caps concurrent connections per address: refused at the handshake with connect_error
 * "too_many_connections", counted down when the socket or its connection goes. A recovered socket skips
 * the middlewares, so it is counted (and refused when over) as it connects.
 */
export function limitConnections(
  app: FastifyInstance,
  io: LiveServer,
  limits: LiveLimits,
  trust: TrustFunction,
) {
  const open = new Map<string, number>();
  const admit = (socket: LiveSocket): boolean => {
    const address = addressOf(socket, trust);
    const count = open.get(address) ?? 0;
    if (count >= limits.connectionsPerAddress) return false;
    open.set(address, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    };
    // A socket refused by a later middleware never connects, but its connection still closes.
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    return true;
  };
  io.use((socket, next) => {
    if (admit(socket)) {
      next();
      return;
    }
    app.log.warn(
      { address: addressOf(socket, trust) },
      'live connection refused: too many from this address',
    );
    const refusal = tooManyConnections();
    const error = new Error(refusal.code) as Error & { data?: unknown };
    error.data = { code: refusal.code, message: refusal.messages[handshakeOf(socket).locale] };
    next(error);
  });
  io.on('connection', (socket) => {
    if (socket.recovered && !admit(socket)) socket.disconnect(true);
  });
}

/**
 * Drops a connection whose client stopped reading once `sendBufferChars` wait for it: what the server
 * holds for a slow or stalled spectator stays bounded. Its transport is closed, so a real screen that was
 * only stalled reconnects (and recovers what it missed); one that never reads costs nothing more.
 */
export function limitSendBuffers(app: FastifyInstance, io: LiveServer, limits: LiveLimits) {
  io.engine.on('connection', (conn: EngineConnection) => {
    const check = (packet: EnginePacket) => {
      if (conn.readyState !== 'open') return;
      let queued = packet.data?.length ?? 0;
      for (const waiting of conn.writeBuffer) queued += waiting.data?.length ?? 0;
      if (queued <= limits.sendBufferChars) return;
      app.log.warn({ address: conn.remoteAddress }, 'live connection dropped: it stopped reading');
      conn.close(true);
    };
    conn.on('packetCreate', check);
  });
}

/** What limitSendBuffers reads of an Engine.IO connection (its queue of packets not yet written). */
interface EngineConnection {
  writeBuffer: EnginePacket[];
  readyState: string;
  remoteAddress: string;
  on(event: 'packetCreate', listener: (packet: EnginePacket) => void): void;
  close(discard: boolean): void;
}

/** A packet as Socket.IO hands it to Engine.IO: encoded already (text, or bytes for binary data). */
interface EnginePacket {
  data?: { length: number } | undefined;
}
