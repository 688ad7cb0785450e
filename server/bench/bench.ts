/**
 * pnpm bench --scenario burst|audience|scaleout|naive|rebuild [--seconds N] [--spectators N] [--rate N] [--smoke] [--json]
 *
 * Drives a real server on 127.0.0.1, bounded in count and time, and stops by itself (issue 14). Each scenario
 * is a module `scenarios/<name>.ts` exporting `run(options): Promise<BenchReport>`; it ends by checking that
 * every acknowledged mark is stored once and that the live view equals the recomputation.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  type BenchReport,
  markdown,
  SCENARIOS,
  type ScenarioName,
  type ScenarioOptions,
} from './harness/report';

const usage =
  'usage: pnpm bench --scenario burst|audience|scaleout|naive|rebuild [--seconds N] [--spectators N] [--rate N] [--smoke] [--json]';

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const scenario = values.scenario as ScenarioName | undefined;
  if (!scenario || !SCENARIOS.includes(scenario)) {
    console.error(`--scenario must be one of ${SCENARIOS.join(', ')}\n${usage}`);
    return 2;
  }
  let options: ScenarioOptions;
  try {
    options = {
      seconds: positive(values.seconds, values.smoke ? 3 : 20, '--seconds'),
      spectators: positive(values.spectators, values.smoke ? 20 : 1000, '--spectators'),
      smoke: values.smoke ?? false,
      ...(values.rate === undefined ? {} : { rate: positive(values.rate, 0, '--rate') }),
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const module = (await import(`./scenarios/${scenario}.ts`)) as {
    run: (options: ScenarioOptions) => Promise<BenchReport>;
  };
  const report = await module.run(options);
  report.loadAverage[1] = loadavg()[0] ?? 0;
  console.log(values.json ? JSON.stringify(report) : markdown(report));
  return report.lost === 0 && report.duplicates === 0 && report.liveViewMatches !== false ? 0 : 1;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      seconds: { type: 'string' },
      spectators: { type: 'string' },
      rate: { type: 'string' },
      smoke: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number, got ${value}`);
  return n;
}

try {
  process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--'));
} catch (error) {
  console.error(error);
  process.exitCode = 2;
}
