/** What the command-line tools share: flags, reading files, usage errors (exit 2), running as the main module. */
import { readFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export type Writer = (s: string) => void;
export type Tool = (argv: string[], out: Writer, err: Writer) => number | Promise<number>;

/**
 * `--name value` flags, those in `repeatable` given any number of times (a list); any other flag, or a flag
 * without its value, is a usage error.
 */
export function readFlags<Name extends string, Many extends Name = never>(
  argv: string[],
  names: readonly Name[],
  repeatable: readonly Many[] = [],
): Partial<Record<Exclude<Name, Many>, string> & Record<Many, string[]>> {
  const options = Object.fromEntries(
    names.map((name) => [
      name,
      { type: 'string' as const, multiple: (repeatable as readonly string[]).includes(name) },
    ]),
  );
  return parseArgs({ args: argv, options, strict: true }).values as Partial<
    Record<Exclude<Name, Many>, string> & Record<Many, string[]>
  >;
}

export function readText(kind: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${kind} ${path}: ${(error as Error).message}`);
  }
}

export function readJson(kind: string, path: string): unknown {
  const text = readText(kind, path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not JSON: ${(error as Error).message}`);
  }
}

/** The exit code of a usage error (or a malformed flag from parseArgs), after writing its message; rethrows anything else. */
export function usageExit(error: unknown, err: Writer): 2 {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
    err(`${error.message}\n`);
    return 2;
  }
  throw error;
}

/** Runs a tool, turning a usage error into its message and exit 2. */
export function withUsage(run: () => number, err: Writer): number {
  try {
    return run();
  } catch (error) {
    return usageExit(error, err);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` before returning, waiting while a pipe is full: `process.stdout.write` queues a pipe's
 * writes in memory instead (the whole JSON of a million marks when piped into a slower reader).
 */
export function writeAllSync(fd: number, text: string): void {
  let bytes = Buffer.from(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** Runs the tool when its module is the one node started. */
export function runAsMain(moduleUrl: string, tool: Tool): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  const code = tool(
    process.argv.slice(2).filter((a) => a !== '--'),
    (s) => writeAllSync(1, s),
    (s) => process.stderr.write(s),
  );
  if (typeof code === 'number') process.exitCode = code;
  else
    code.then((c) => {
      process.exitCode = c;
    });
}
