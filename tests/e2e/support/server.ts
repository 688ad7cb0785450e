import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildApp } from '@jiangxin/server';
import { freePort } from '@jiangxin/server/start';

export { freePort };

export interface RunningApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  url: string;
  close: () => Promise<void>;
}

/** The real application, serving the built client, on an ephemeral port of this computer only. */
export async function startApp(): Promise<RunningApp> {
  const app = await buildApp({ logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export interface ServerProcess {
  url: string;
  /** Ends the process with a signal (SIGKILL by default: no chance to close anything) and waits for it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const serverDir = fileURLToPath(new URL('../../../server/', import.meta.url));

/**
 * The server as `pnpm start` runs it (server/src/server.ts), in a child process: the embedded default with its
 * data (database and secret) in `dataDir`, on `port`, with `env` on top (e.g. DEMO_PLAY). Resolves once
 * /api/health answers.
 */
export async function startServerProcess(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
      SECRET: '',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within 60 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
