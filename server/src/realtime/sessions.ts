import type { SessionEnded } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { principalOfToken, type TokenClaims } from '../plugins/auth';
import { AppError, loggableError } from '../plugins/errors';
import type { LiveServer, LiveSocket } from './rounds';

/**
 * A socket's session lasts as long as its token. The token is checked at the handshake and at every
 * `round:join`, but a socket that joined a room would otherwise keep receiving its updates after the token
 * expired or its device was revoked or signed out. So each socket with a token is ended (`session:ended`,
 * then disconnected) at the token's expiry, and whenever the auth module ends a device's tokens.
 */

/** Every socket holding a token of this device, on every process (the rooms go through the adapter). */
const deviceRoom = (deviceId: string) => `session:device:${deviceId}`;
/** The sockets holding one token version of a device: the version just issued is spared when older ones end. */
const versionRoom = (deviceId: string, version: number) => `session:device:${deviceId}:v${version}`;
/** Every socket of an account. */
const accountRoom = (accountId: string) => `session:account:${accountId}`;

const roomsOf = (claims: TokenClaims) =>
  claims.typ === 'account'
    ? [accountRoom(claims.sub)]
    : [deviceRoom(claims.sub), versionRoom(claims.sub, claims.ver)];

/** setTimeout's longest delay (about 24.8 days); a later expiry is waited for in steps. */
const LONGEST_DELAY_MS = 2 ** 31 - 1;

function end(socket: LiveSocket, reason: SessionEnded['reason']) {
  socket.emit('session:ended', { reason });
  socket.disconnect(true);
}

/** Ends the socket when its token expires; the timer goes with the socket. */
function endAtExpiry(socket: LiveSocket, exp: number) {
  let timer: NodeJS.Timeout | undefined;
  const wait = () => {
    const left = exp * 1000 - Date.now();
    if (left <= 0) {
      end(socket, 'expired');
      return;
    }
    timer = setTimeout(wait, Math.min(left, LONGEST_DELAY_MS));
    timer.unref();
  };
  socket.once('disconnect', () => clearTimeout(timer));
  wait();
}

/**
 * Puts each socket with a token in its session rooms and ends it at its token's expiry. Its token is then
 * checked once more: the handshake checked it before the socket was in these rooms (a revocation committed
 * in between would have missed it), and a socket recovering its connection state skips the handshake and
 * gets its round rooms back, whatever happened to its device while it was away.
 */
export function watchSessions(app: FastifyInstance, io: LiveServer) {
  io.on('connection', (socket) => {
    // A recovered socket's data went through the adapter's session store: a missing token may come back null.
    const token: unknown = socket.data.token;
    if (typeof token !== 'string' || token === '') return;
    const claims = app.tokens.read(token);
    if (!claims) {
      end(socket, 'expired');
      return;
    }
    // The in-process and the Redis adapters join synchronously: the rooms hold the socket from here on.
    void socket.join(roomsOf(claims));
    endAtExpiry(socket, claims.exp);
    principalOfToken(app, token).catch((error: unknown) => {
      if (error instanceof AppError) end(socket, app.tokens.read(token) ? 'revoked' : 'expired');
      // Storage failed, not the token: the socket stays, and its next join checks the token again.
      else app.log.error({ error: loggableError(error) }, 'a live session check failed');
    });
  });
}

/**
 * Ends the live sockets of a device whose tokens stopped working (revoked, paired again, a judge signed in
 * or out), on every process; call it after the transaction that ended them has committed. `current` is the
 * token version just issued to the device (none when it was revoked): a socket the device opens with that
 * new token is spared, even if it connects to another process before this reaches that process.
 */
export function endDeviceSessions(app: FastifyInstance, deviceId: string, current: number | null = null) {
  const room = app.io.in(deviceRoom(deviceId));
  const sessions = current === null ? room : room.except(versionRoom(deviceId, current));
  try {
    sessions.emit('session:ended', { reason: 'revoked' });
    sessions.disconnectSockets(true);
  } catch (error) {
    // The change has committed and its answer must not fail: the sockets' next join checks the token anyway.
    app.log.error({ error: loggableError(error), deviceId }, 'ending a device’s live sessions failed');
  }
}
