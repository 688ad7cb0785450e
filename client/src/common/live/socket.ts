import type { LiveClientEvents, LiveServerEvents } from '@jiangxin/shared';
import { io, type Socket } from 'socket.io-client';

/** The typed live socket (contract in shared/src/api/live.ts). */
export type LiveSocket = Socket<LiveServerEvents, LiveClientEvents>;

/** Opens the live connection to the page's own server, as the token's holder (none: public). */
export function connectLive(token: string | null): LiveSocket {
  return io({
    path: '/socket.io/',
    transports: ['websocket', 'polling'],
    auth: token ? { token } : {},
    reconnectionDelayMax: 5_000,
  });
}
