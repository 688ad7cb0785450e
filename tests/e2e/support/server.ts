import type { AddressInfo } from 'node:net';
import { buildApp } from '@jiangxin/server';

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
