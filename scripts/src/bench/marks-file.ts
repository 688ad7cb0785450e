/**
 * pnpm bench:marks-file [--competitors N] [--questions Q] [--out <dir>]
 *
 * Writes a machine-scored theory paper's marks file (N competitors × Q questions, one mark each: defaults
 * 10,000 × 100 = 1,000,000 marks) and its scheme into a new temporary folder (or --out), for
 * `pnpm results --scheme <dir>/scheme.json --marks <dir>/marks.csv`. Written a row block at a time.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { answeredRight, competitorCode, theoryPaperInput } from './rounds';

export function writeTheoryPaperFile(dir: string, competitors: number, questions: number) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scheme.json'), `${JSON.stringify(theoryPaperInput(questions), null, 2)}\n`);
  const marks = join(dir, 'marks.csv');
  const fd = openSync(marks, 'w');
  try {
    writeSync(fd, 'event,round,competitor,item,judge,mark\n');
    for (let c = 0; c < competitors; c++) {
      const code = competitorCode(c);
      let block = '';
      for (let q = 1; q <= questions; q++)
        block += `Theory,Final,${code},q${q},M,${answeredRight(c, q) ? 1 : 0}\n`;
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
  return { scheme: join(dir, 'scheme.json'), marks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { competitors: { type: 'string' }, questions: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  const competitors = Number(values.competitors ?? 10_000);
  const questions = Number(values.questions ?? 100);
  if (!Number.isInteger(competitors) || competitors < 1 || !Number.isInteger(questions) || questions < 1) {
    console.error('--competitors and --questions must be positive whole numbers');
    process.exit(2);
  }
  const dir = values.out ?? mkdtempSync(join(tmpdir(), 'jiangxin-marks-'));
  const files = writeTheoryPaperFile(dir, competitors, questions);
  console.log(`${competitors * questions} marks: ${files.marks}\nscheme: ${files.scheme}`);
  console.log(`pnpm results --scheme ${files.scheme} --marks ${files.marks} --format csv`);
}
