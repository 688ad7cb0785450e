/**
 * The fan-out floor: a bare Socket.IO server (none of our code: no token check, no rooms per audience, no
 * live store), configured as ours is (WebSocket, no compression, connection-state recovery), that puts every
 * socket in one room and, told over IPC, broadcasts a ~200 B message `rate` times a second. Each message
 * carries a version and the wall-clock time it was sent, so the same light spectators time it.
 *
 * Run as a child process (bare-broadcast.ts <port>); answers `{listening}`, then `{sent: [[version, at]]}`.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const http = createServer();
const io = new Server(http, {
  transports: ['websocket', 'polling'],
  perMessageDeflate: false,
  serveClient: false,
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
});
io.on('connection', (socket) => socket.join('round'));

const now = () => performance.timeOrigin + performance.now();
// About the size of a delta carrying one competitor's new mark and place.
const pad = 'x'.repeat(150);

process.on('message', async (request: { type: 'broadcast'; rate: number; seconds: number }) => {
  if (request.type !== 'broadcast') return;
  const sent: [number, number][] = [];
  const interval = 1000 / request.rate;
  const start = now();
  for (let version = 1; now() - start < request.seconds * 1000; version++) {
    const at = now();
    io.to('round').emit('tick', { version, sentAt: at, pad });
    sent.push([version, at]);
    const wait = start + version * interval - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  process.send?.({ sent });
});

http.listen(port, '127.0.0.1', () => process.send?.({ listening: port }));
