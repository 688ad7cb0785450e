import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The client is served by the Jiangxin server from dist/; in development (`pnpm --filter @jiangxin/client dev`)
// Vite proxies /api and /socket.io to a server started with `pnpm --filter @jiangxin/server start`.
export default defineConfig({
  plugins: [
    react(),
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
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
