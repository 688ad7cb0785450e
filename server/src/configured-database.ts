import { join } from 'node:path';
import { type DatabaseHandle, openDatabase } from './db/client';
import { type Env, EnvError, loadEnv } from './env';

/**
 * The settings and the database they name (DATABASE_URL, or the embedded one in DATA_DIR/pglite), opened the
 * one way the server and the operators' commands start. Returns null after printing why when the settings
 * are invalid or `refuse` names one the command cannot run without; the caller then exits.
 */
export async function openConfiguredDatabase(
  refuse: (env: Env) => string | null = () => null,
): Promise<{ env: Env; handle: DatabaseHandle } | null> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    return null;
  }
  const refusal = refuse(env);
  if (refusal) {
    console.error(refusal);
    return null;
  }
  const handle = await openDatabase(
    env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(env.DATA_DIR, 'pglite') },
  );
  return { env, handle };
}
