import { WebSocket } from 'ws';

/**
 * What a child process keeps, read through its inspector (`node --inspect=127.0.0.1:<port>`): a full garbage
 * collection, then its heap and external memory. RSS right after a thousand joins also counts the garbage
 * their snapshots left and the collector has not reclaimed yet; this is what stays.
 */
export const inspectFlag = (port: number) => `--inspect=127.0.0.1:${port}`;

export async function heapAfterCollectionKB(port: number): Promise<number> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const target = targets[0]?.webSocketDebuggerUrl;
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(target, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let next = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++next;
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: unknown;
        };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
        else resolve(message.result ?? {});
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    // Twice: what the first collection frees may hold the last references to more.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const answer = await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    const usage = JSON.parse((answer.result as { value: string }).value) as {
      heapUsed: number;
      external: number;
    };
    return (usage.heapUsed + usage.external) / 1024;
  } finally {
    socket.close();
  }
}
