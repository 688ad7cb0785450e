/** What the offline tools share: usage errors (exit 2) and running a tool as the main module. */

export class UsageError extends Error {}

export type Writer = (s: string) => void;
export type Tool = (argv: string[], out: Writer, err: Writer) => number;

/** Runs a tool, turning a usage error (or a malformed flag from parseArgs) into its message and exit 2. */
export function withUsage(run: () => number, err: Writer): number {
  try {
    return run();
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Runs the tool when its module is the one node started. */
export function runAsMain(moduleUrl: string, tool: Tool): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  process.exitCode = tool(
    process.argv.slice(2).filter((a) => a !== '--'),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}
