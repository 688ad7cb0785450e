import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @jiangxin/server db:generate` writes the migration from src/db/schema.ts.
export default defineConfig({ dialect: 'postgresql', schema: './src/db/schema.ts', out: './drizzle' });
