/**
 * nginx in front of several server processes, as docs/DEPLOYMENT.md describes: run from Debian's package
 * as this user's own process (`daemon off`, a generated configuration and every path in a temporary folder,
 * a free port), stopped with the run. `proxyConfig` is the configuration DEPLOYMENT.md shows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confined, openFileLimit } from './audience';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? null;

export interface ProxySettings {
  /** The port nginx listens on (127.0.0.1). */
  port: number;
  /** The server processes, host:port. */
  upstreams: string[];
  /** Where nginx keeps its pid and temporary files (a deployment leaves these to the package's defaults). */
  dir: string;
  /** nginx's worker processes; each holds two descriptors per proxied connection. */
  workers: number;
  /** Descriptors per worker (at most the hard open-file limit). */
  openFiles: number;
}

/**
 * Sticky by `hash`: a Socket.IO client's long-polling requests must all reach the process that holds its
 * session, so each request is sent by a key that stays the same for the client: its `client` query
 * parameter when it sends one (the bench's spectators do: they all share 127.0.0.1), else its address.
 * `consistent` moves only the clients of a process that goes away. WebSocket upgrades are passed through.
 */
export function proxyConfig(settings: ProxySettings): string {
  const { dir } = settings;
  return `worker_processes ${settings.workers};
worker_rlimit_nofile ${settings.openFiles};
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log stderr warn;

events {
  worker_connections ${Math.floor(settings.openFiles / 2) - 100};
}

http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};

  # WebSocket upgrade: pass the client's Upgrade on, close the upstream connection otherwise.
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  # The sticky key: the client's own id when it sends one, else its address.
  map $arg_client $sticky {
    '' $remote_addr;
    default $arg_client;
  }

  upstream jiangxin {
    hash $sticky consistent;
${settings.upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=5s;`).join('\n')}
  }

  server {
    listen 127.0.0.1:${settings.port} reuseport;

    location / {
      proxy_pass http://jiangxin;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # The server reads the client's address from here (TRUST_PROXY); per-address limits need it.
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Longer than Socket.IO's ping interval (25 s), so an idle live connection is not cut.
      proxy_read_timeout 75s;
      # A process that is down: the request (a reconnect) goes to the next one.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
    }
  }
}
`;
}

export interface ReverseProxy {
  origin: string;
  config: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts nginx in front of `upstreams`; fails clearly when nginx is not installed. */
export async function startProxy(options: {
  port: number;
  upstreams: string[];
  cpu: number | null;
}): Promise<ReverseProxy> {
  if (!NGINX)
    throw new Error(
      'nginx is not installed (apt-get install nginx-light; .ci/run installs it for the tests)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'jx-nginx-'));
  // nginx run by root hands its workers to "nobody", who must reach the temporary folders.
  chmodSync(dir, 0o755);
  const config = proxyConfig({
    port: options.port,
    upstreams: options.upstreams,
    dir,
    workers: 2,
    openFiles: Math.min(65_536, openFileLimit('H')),
  });
  writeFileSync(join(dir, 'nginx.conf'), config);
  const [file, argv] = confined(options.cpu, NGINX, [
    '-e',
    'stderr',
    '-p',
    dir,
    '-c',
    join(dir, 'nginx.conf'),
  ]);
  const child: ChildProcess = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-10_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx exited (${child.exitCode}): ${output}`);
    }
    const answered = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx did not answer within 20 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    origin,
    config,
    pid: child.pid ?? 0,
    async stop() {
      // SIGTERM: nginx's fast shutdown (master and workers).
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
