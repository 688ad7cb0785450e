import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import rule of docs/ARCHITECTURE.md ("Layers"), checked on every source file: which layer may import
 * which. A new file lands in a layer by its path; an import across the rule fails here with the file and
 * the import named.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const serverSrc = join(root, 'server/src');

type Layer =
  | 'db'
  | 'base'
  | 'adapters'
  | 'scoring'
  | 'documents'
  | 'modules'
  | 'live'
  | 'push'
  | 'wiring'
  | 'rehearsal'
  | 'root';

/** The layer of a server source file, by its path below server/src. */
function layerOf(path: string): Layer {
  if (path.startsWith('db/')) return 'db';
  if (['changes.ts', 'env.ts', 'faults.ts', 'secret.ts', 'refusals.ts', 'demo/index.ts'].includes(path))
    return 'base';
  if (path === 'client-address.ts') return 'base';
  if (['plugins/errors.ts', 'plugins/validation.ts'].includes(path)) return 'base';
  if (['plugins/live.ts', 'plugins/realtime.ts'].includes(path)) return 'wiring';
  if (path.startsWith('plugins/')) return 'adapters';
  if (path.startsWith('scoring/')) return 'scoring';
  if (path.startsWith('documents/')) return 'documents';
  if (path.startsWith('modules/')) return 'modules';
  if (path.startsWith('live/')) return 'live';
  if (path.startsWith('realtime/')) return 'push';
  if (path.startsWith('rehearsal/')) return 'rehearsal';
  return 'root';
}

/** What each layer may import (besides itself, the shared package and libraries). */
const allowed: Record<Layer, Layer[]> = {
  db: [],
  base: ['db'],
  adapters: ['db', 'base'],
  scoring: ['db', 'base'],
  // Rendering official documents (XLSX, CSV, PDF) from plain data: nothing of the server.
  documents: [],
  modules: ['db', 'base', 'adapters', 'scoring', 'documents'],
  live: ['db', 'base', 'scoring'],
  // The push reads the live view, never Postgres: no db, scoring or modules.
  push: ['base', 'adapters', 'live'],
  wiring: ['base', 'adapters', 'live', 'push'],
  // The rehearsal is a client of the HTTP API, as `pnpm rehearse` and the demo player use it: nothing inside.
  rehearsal: [],
  root: ['db', 'base', 'adapters', 'scoring', 'documents', 'modules', 'live', 'push', 'wiring', 'rehearsal'],
};

/** Modules every module may use: the audit chain and the scheme templates. */
const sharedModules = ['modules/audit/', 'modules/templates/'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map(
    (m) => m[1] ?? '',
  );

const moduleOf = (path: string) => path.split('/').slice(0, 2).join('/');

describe('the import rule', () => {
  it('keeps every server import inside what its layer may use', () => {
    const broken: string[] = [];
    for (const file of sources(serverSrc)) {
      const from = relative(serverSrc, file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const to = relative(serverSrc, resolve(dirname(file), spec)).replace(/(\.ts)?$/, '.ts');
        const [a, b] = [layerOf(from), layerOf(to)];
        const ok =
          a === b
            ? a !== 'modules' ||
              moduleOf(from) === moduleOf(to) ||
              sharedModules.some((m) => to.startsWith(m))
            : allowed[a].includes(b);
        if (!ok) broken.push(`${from} (${a}) imports ${to} (${b})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps the packages apart: shared imports no package of ours, the client only shared, scripts the server only through its public start and the rehearsal', () => {
    const broken: string[] = [];
    const check = (pkg: string, may: (spec: string) => boolean) => {
      for (const file of sources(join(root, pkg, 'src'))) {
        for (const spec of importsOf(file))
          if (!may(spec)) broken.push(`${relative(root, file)} imports ${spec}`);
      }
    };
    const ours = (spec: string) => spec.startsWith('@jiangxin/');
    // shared runs in browsers too: no Node built-ins.
    check('shared', (spec) => !ours(spec) && !spec.startsWith('node:'));
    check('client', (spec) => !ours(spec) || spec.startsWith('@jiangxin/shared'));
    check(
      'scripts',
      (spec) =>
        !ours(spec) ||
        spec.startsWith('@jiangxin/shared') ||
        spec === '@jiangxin/server/start' ||
        spec === '@jiangxin/server/rehearsal',
    );
    // The rehearsal runs against any server over HTTP: of our packages, only shared.
    for (const file of sources(join(serverSrc, 'rehearsal'))) {
      for (const spec of importsOf(file))
        if (ours(spec) && !spec.startsWith('@jiangxin/shared'))
          broken.push(`${relative(root, file)} imports ${spec}`);
    }
    expect(broken).toEqual([]);
  });

  it('recognises a broken import (the check itself works)', () => {
    expect(layerOf('realtime/rounds.ts')).toBe('push');
    expect(allowed.push).not.toContain('db');
    expect(allowed.live).not.toContain('modules');
    expect(allowed.scoring).not.toContain('modules');
    expect(layerOf('rehearsal/venue.ts')).toBe('rehearsal');
    expect(allowed.rehearsal).toEqual([]);
  });
});
