import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env';

/** SECRET from the environment, or one generated on first start and kept in the data folder. */
export function resolveSecret(env: Pick<Env, 'SECRET' | 'DATA_DIR'>): string {
  if (env.SECRET) return env.SECRET;
  const file = join(env.DATA_DIR, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(env.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
