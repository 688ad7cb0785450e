import type { LiveClientEvents, LiveServerEvents } from '@jiangxin/shared';
import { io, type Socket } from 'socket.io-client';
import { newId } from '../id';

/** The typed live socket (contract in shared/src/api/live.ts). */
export type LiveSocket = Socket<LiveServerEvents, LiveClientEvents>;

/**
 * The page's key for a proxy's sticky sessions (docs/DEPLOYMENT.md): the same on every request of its live
 * connection, whichever transport, and apart from the other phones behind a venue's one NAT address.
 */
const stickyKey = newId();

/** Opens the live connection to the page's own server, as the token's holder (none: public). */
export function connectLive(token: string | null): LiveSocket {
  return io({
    path: '/socket.io/',
    transports: ['websocket', 'polling'],
    // A venue's proxy or an in-app browser that lets no WebSocket through: long-polling next, not never.
    tryAllTransports: true,
    query: { client: stickyKey },
    auth: token ? { token } : {},
    reconnectionDelayMax: 5_000,
  });
}
