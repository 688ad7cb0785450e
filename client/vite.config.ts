import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Writes a .br and a .gz beside every text file of the build, so the server sends them compressed
 * (@fastify/static `preCompressed`) without compressing on each request: a phone on mobile data gets the
 * spectators' page in a fraction of the bytes. Font slices (woff2) are compressed already.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  return {
    name: 'jiangxin-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle: {
      order: 'post',
      handler() {
        for (const file of walk(outDir)) {
          if (!/\.(js|css|html|svg|webmanifest|json)$/.test(file)) continue;
          const data = readFileSync(file);
          if (data.length < 1024) continue;
          writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
          writeFileSync(
            `${file}.br`,
            brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          );
        }
      },
    },
  };
}

// The client is served by the Jiangxin server from dist/; in development (`pnpm --filter @jiangxin/client dev`)
// Vite proxies /api and /socket.io to a server started with `pnpm --filter @jiangxin/server start`.
export default defineConfig({
  plugins: [
    react(),
    precompress(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: '匠心 Jiangxin',
        short_name: '匠心',
        lang: 'zh-CN',
        start_url: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#8a1c1c',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // A new version takes over open pages at once: a tablet is never left on an old shell.
        clientsClaim: true,
        skipWaiting: true,
        // The shell (HTML, JS, CSS, icons) is precached so a tablet reopens it offline; the font slices are
        // cached as they are first used (there are ~200 of them and a page needs a few).
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        globIgnores: ['**/*.woff', '**/*.woff2'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/docs/],
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.endsWith('.woff2') || url.pathname.endsWith('.woff'),
            handler: 'CacheFirst',
            options: { cacheName: 'fonts', expiration: { maxEntries: 400 } },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Phones' in-app browsers (WeChat and the like): nothing newer than Chromium 90 / Safari 14 may remain.
    target: ['chrome90', 'safari14'],
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
