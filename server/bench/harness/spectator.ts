import { WebSocket } from 'ws';

/**
 * One light spectator: a raw Engine.IO v4 WebSocket speaking Socket.IO v5 by hand, so that 10,000 of them
 * fit on one core (a socket.io-client per spectator costs several times the memory and CPU). It answers the
 * server's pings, joins a round's public room, applies nothing and keeps only the highest round version it
 * was sent. A frame is read as bytes, never decoded or parsed whole: its head names the packet and holds the
 * version, its tail the stream offset, so a 3 KB delta costs what a 200 B tick does (at 10,000 spectators the
 * generator, not the server, was the limit). Reconnects as socket.io-client does:
 * after a randomised delay, offering its session (`pid`, `offset`) for connection-state recovery.
 *
 * Frames: `0{…}` open → `40` (or `40{"pid","offset"}`) → `40{"sid","pid"}` connected; `2` ping → `3` pong;
 * `42[event, …, offset?]` events; `42<id>[…]` emits with an ack id, answered by `43<id>[…]`; `44{…}` refused.
 */

export interface Target {
  /** ws:// origin of the server or proxy. */
  origin: string;
  /** The round whose public room to join; null: a bare server that puts every socket in its room itself. */
  join: { competitionId: string; roundId: string } | null;
}

export interface SpectatorEvents {
  /** The spectator holds a higher version than before (`from` is what it held). */
  reached(spectator: Spectator, from: number, to: number): void;
  /** Connected and joined (or recovered): in sync with what the server last sent. */
  ready(spectator: Spectator): void;
  error(spectator: Spectator, what: string): void;
  /** Any other frame than a ping, once joined (a push, whatever its event). */
  frame?(spectator: Spectator): void;
}

const JOIN_ACK = 1;
const VERSION = Buffer.from('"version":');
const ZERO = 0x30;
/** Enough of a frame's head to name its event (`42["round:update"`, `431[{"error"`). */
const HEAD = 24;

/** The first `"version":N` of a frame (a push or a snapshot names its version before its standings). */
function versionOf(data: Buffer): number {
  const at = data.indexOf(VERSION);
  if (at < 0) return 0;
  let version = 0;
  for (let i = at + VERSION.length; i < data.length; i++) {
    const digit = (data[i] ?? 0) - ZERO;
    if (digit < 0 || digit > 9) break;
    version = version * 10 + digit;
  }
  return version;
}

/** With connection-state recovery the server appends the stream offset as an event's last argument: `,"…"]`. */
function offsetOf(data: Buffer): string | null {
  const end = data.length - 2;
  if (end < 0 || data[end] !== 0x22 || data[end + 1] !== 0x5d) return null;
  const start = data.lastIndexOf(',"', end - 1);
  return start < 0 ? null : data.toString('latin1', start + 2, end);
}

export class Spectator {
  version = 0;
  ready = false;
  /** Disconnected on purpose (close): never reconnect. */
  private closed = false;
  private socket: WebSocket | null = null;
  private pid: string | null = null;
  private offset: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: number,
    private readonly target: Target,
    private readonly events: SpectatorEvents,
  ) {}

  connect() {
    this.ready = false;
    // `client` keys the proxy's sticky hash (every bench client has the same address).
    const url = `${this.target.origin}/socket.io/?EIO=4&transport=websocket&client=s${this.id}`;
    const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    this.socket = socket;
    socket.on('message', (data: Buffer) => this.frame(data));
    socket.on('error', (error) => this.events.error(this, `socket: ${error.message}`));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.ready = false;
      this.reconnect();
    });
  }

  /** Drops the connection at once, as a venue's Wi-Fi dropping would; it comes back by itself. */
  drop() {
    this.ready = false;
    this.socket?.terminate();
  }

  close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    socket?.terminate();
  }

  private send(text: string) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  /** socket.io-client's defaults: a first attempt after 1 s ± 50 %. */
  private reconnect() {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (!this.closed) this.connect();
      },
      500 + Math.random() * 1000,
    );
  }

  private reach(data: Buffer) {
    const version = versionOf(data);
    if (version > this.version) {
      const from = this.version;
      this.version = version;
      this.events.reached(this, from, version);
    }
  }

  private frame(data: Buffer) {
    const kind = data[0];
    if (kind === 0x32) return this.send('3');
    if (kind === ZERO) {
      const session = this.pid && this.offset ? JSON.stringify({ pid: this.pid, offset: this.offset }) : '';
      return this.send(`40${session}`);
    }
    if (kind !== 0x34) return;
    if (this.ready) this.events.frame?.(this);
    const head = data.toString('latin1', 0, HEAD);
    const packet = head[1];
    if (packet === '2') {
      if (head.startsWith('42["round:update"') || head.startsWith('42["tick"')) {
        const offset = offsetOf(data);
        if (offset) this.offset = offset;
        this.reach(data);
      }
      return;
    }
    if (packet === '3') {
      if (!head.startsWith(`43${JOIN_ACK}[`)) return;
      if (head.startsWith(`43${JOIN_ACK}[{"error"`)) {
        this.events.error(this, `join refused: ${data.toString('utf8', 0, 200)}`);
        return;
      }
      this.reach(data);
      this.ready = true;
      this.events.ready(this);
      return;
    }
    if (packet === '0') {
      const answer = JSON.parse(data.toString('utf8', 2) || '{}') as { pid?: string };
      // Recovered: the server kept the session and sends what was missed, so no join is needed.
      const recovered = this.pid !== null && answer.pid === this.pid && this.version > 0;
      this.pid = answer.pid ?? null;
      if (recovered || this.target.join === null) {
        this.ready = true;
        this.events.ready(this);
      } else {
        this.send(`42${JOIN_ACK}${JSON.stringify(['round:join', this.target.join])}`);
      }
      return;
    }
    if (packet === '4') this.events.error(this, `connect refused: ${data.toString('utf8', 2, 200)}`);
  }
}
