import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The client is served by the Jiangxin server from dist/; in development (`pnpm --filter @jiangxin/client dev`)
// Vite proxies /api to a server started with `pnpm --filter @jiangxin/server start`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
