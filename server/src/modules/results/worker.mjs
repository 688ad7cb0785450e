// The results worker thread's entry. The server runs its TypeScript through tsx (pnpm start, the tests), and a
// worker thread does not inherit the main thread's loader: it registers tsx itself, then loads the job.
import { register } from 'tsx/esm/api';

register();
await import('./job.ts');
