import { networkInterfaces } from 'node:os';
import closeWithGrace from 'close-with-grace';
import { LogController } from 'fastify';
import { buildApp } from './app';
import { openConfiguredDatabase } from './configured-database';
import { DEMO_PLAYER_AGENT, type DemoPlayer, demoPlays, startDemoPlayer } from './demo/player';
import { DEMO_ACCOUNTS, DEMO_JUDGE_PIN, seedDemo } from './demo/seed';
import { armFault } from './faults';
import { loggableError } from './plugins/errors';
import { resolveSecret } from './secret';

/** Starts and stops the server; everything else is in app.ts. */

const configured = await openConfiguredDatabase();
if (!configured) process.exit(1);
const { env, handle: database } = configured;
armFault(env.JIANGXIN_FAULT);
const app = await buildApp({
  logger: { level: env.LOG_LEVEL },
  database,
  secret: resolveSecret(env),
  liveLimits: { connectionsPerAddress: env.LIVE_CONNECTIONS_PER_ADDRESS },
  trustProxy: env.TRUST_PROXY,
  ...(env.REDIS_URL ? { redis: { url: env.REDIS_URL } } : {}),
  // Three requests a second of the demo player would bury the log lines a newcomer needs; only its own
  // requests from this computer are left out (a user agent alone could be sent by anyone).
  ...(demoPlays(env)
    ? {
        logController: new LogController({
          disableRequestLogging: (request) =>
            request.headers['user-agent'] === DEMO_PLAYER_AGENT &&
            ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.socket.remoteAddress ?? ''),
        }),
      }
    : {}),
});

// The embedded default starts with a demo competition a newcomer can sign in to.
if (!env.DATABASE_URL) {
  const demo = await seedDemo(app);
  if (demo) {
    const accounts = Object.values(DEMO_ACCOUNTS).map((a) => `${a.username} / ${a.password}`);
    app.log.info(
      `demo competition seeded: sign in as ${accounts.join(', ')}; judges' PIN ${DEMO_JUDGE_PIN}; ` +
        `pairing codes (15 min): ${demo.pairing.map((p) => `${p.label} ${p.code}`).join(', ')}`,
    );
  }
}

let player: DemoPlayer | null = null;

closeWithGrace({ delay: 2000 }, async ({ err, signal }) => {
  if (err) app.log.error({ error: loggableError(err) }, 'closing after an error');
  else app.log.info(`${signal ?? 'close'}: closing`);
  // The demo player is a client of this server: it finishes its requests before the server stops taking them.
  await player?.stop();
  await app.close();
});

/** The addresses people can open: this computer, or every LAN address when listening on all of them. */
function urls(host: string, port: number): string[] {
  if (host !== '0.0.0.0' && host !== '::')
    return [`http://${host.includes(':') ? `[${host}]` : host}:${port}`];
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => `http://${i?.address}:${port}`);
  return [`http://127.0.0.1:${port}`, ...lan];
}

// When PORT was not chosen and 3000 is taken, try the next few ports rather than fail.
const attempts = env.portChosen ? 1 : 10;
for (let i = 0; i < attempts; i++) {
  const port = env.PORT === 0 ? 0 : env.PORT + i;
  try {
    await app.listen({ port, host: env.HOST });
    const address = app.server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    const open = urls(env.HOST, actual);
    app.log.info(`匠心 Jiangxin is running; open ${open.join(' or ')} in a browser`);
    // The embedded default plays a diving final by itself, so /screen and /live show marks arriving.
    const { username, password } = DEMO_ACCOUNTS.organizer;
    player = startDemoPlayer(app.log, env, { url: open[0] ?? '', organizer: { username, password } });
    break;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && i + 1 < attempts) {
      app.log.warn(`port ${port} is in use; trying ${port + 1} (set PORT to choose one)`);
      continue;
    }
    app.log.error(
      { err: error },
      code === 'EADDRINUSE'
        ? `port ${port} is in use; set PORT to a free port, e.g. PORT=${port + 1} pnpm start`
        : 'the server could not start',
    );
    process.exit(1);
  }
}
