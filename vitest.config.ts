import { defineConfig } from 'vitest/config';

// One configuration runs every package's tests; each package may add its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['shared', 'server', 'scripts', 'client', 'tests'],
  },
});
