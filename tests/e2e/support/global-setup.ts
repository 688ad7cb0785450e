import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the web client before the browser tests, exactly as `pnpm start` does (`vite build` in client/),
 * so they always run against the current client source.
 */
export const clientDir = join(import.meta.dirname, '../../../client');

export default function buildClient() {
  const vite = join(clientDir, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) throw new Error(`${vite} is missing: run pnpm install first`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: clientDir,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    throw new Error(
      `building the client failed (exit ${result.status}):\n${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`,
    );
  }
  if (!existsSync(join(clientDir, 'dist/index.html')))
    throw new Error('the client build wrote no dist/index.html');
  console.log(`e2e: client built in ${Date.now() - started} ms`);
}
