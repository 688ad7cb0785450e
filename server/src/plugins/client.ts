import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './errors';

export interface ClientOptions {
  /** The built client (client/dist); when it has no index.html the pages explain how to build it. */
  dist: string;
}

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

/** A page navigation (not an API call or a missing asset file) gets the client's index.html. */
function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '/';
  const last = path.split('/').at(-1) ?? '';
  return !isApi(path) && !last.includes('.');
}

const notBuiltPage = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>匠心 Jiangxin</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.6}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}</style></head>
<body>
<h1>匠心 Jiangxin</h1>
<p>服务器已启动，但网页客户端尚未构建。请在项目目录运行 <code>pnpm start</code>（先构建客户端再启动服务器），
或先运行 <code>pnpm --filter @jiangxin/client build</code>，再重启服务器。</p>
<p>The server is running, but the web client has not been built. Run <code>pnpm start</code> in the project
folder (it builds the client, then starts the server), or run <code>pnpm --filter @jiangxin/client build</code>
and restart the server.</p>
<p>API: <a href="/api/health">/api/health</a> · <a href="/api/templates">/api/templates</a> ·
<a href="/api/demo/results">/api/demo/results</a></p>
</body>
</html>
`;

/**
 * Serves the built React client: its files, and index.html for every other page path (the client routes
 * itself). Anything else that matches no route is a JSON 404.
 */
async function client(app: FastifyInstance, options: ClientOptions) {
  const built = existsSync(join(options.dist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: options.dist,
      index: ['index.html'],
      // The build writes .br and .gz beside each text file: sent to browsers that accept them.
      preCompressed: true,
      setHeaders(reply, path) {
        // Vite names assets by content hash: they never change; index.html must always be revalidated.
        if (/[\\/]assets[\\/]/.test(path))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        else reply.header('cache-control', 'no-cache');
      },
    });
  } else {
    app.log.warn(
      `the client is not built (no ${join(options.dist, 'index.html')}); pages explain how to build it`,
    );
  }

  app.setNotFoundHandler((request, reply) => {
    if (isPageRequest(request)) {
      if (built) return reply.sendFile('index.html');
      return reply.code(503).type('text/html; charset=utf-8').send(notBuiltPage);
    }
    const path = request.url.split('?')[0] ?? '';
    throw new AppError(404, 'not_found', {
      'zh-CN': `没有这个地址：${request.method} ${path}`,
      en: `not found: ${request.method} ${path}`,
    });
  });
}

export default fp(client, { name: 'client', dependencies: ['errors'] });
