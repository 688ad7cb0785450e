import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventJson, getTemplate, parseCsv, readMarksCsv, scoreEvent } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { constructedFixture } from './constructed-fixture';
import { officialLines, officialRounds, parisOfficial, roundLines } from './official';
import { formatResults, readMarksFile, runResults, standingsOf, writeJson } from './results';
import { loadSchemes } from './scheme-file';

const fixtures = join(import.meta.dirname, '../../tests/fixtures');
const marksFile = join(fixtures, 'paris2024-men-10m-platform-final.marks.csv');

function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runResults(
    args,
    (s) => {
      stdout += s;
    },
    (s) => {
      stderr += s;
    },
  );
  return { code, stdout, stderr };
}

describe('pnpm results', () => {
  it('reproduces every total and rank of the Paris 2024 men’s 10 m platform final', () => {
    const { code, stdout } = run(['--scheme', 'diving', '--marks', marksFile, '--format', 'json']);
    expect(code).toBe(0);
    const official = parisOfficial();
    const [event] = JSON.parse(stdout).events;
    expect(event.event).toBe('M10mPF');
    expect(officialLines(event.standings)).toEqual(official);
    expect(official).toHaveLength(12);
  });

  it('shows which marks were dropped for each dive', () => {
    const { stdout } = run(['--scheme', 'diving', '--marks', marksFile]);
    const caoYuan = JSON.parse(stdout).events[0].standings[0];
    const firstDive = caoYuan.components[0].attempts[0];
    expect(firstDive.aspects[0].used).toHaveLength(3);
    expect(firstDive.aspects[0].dropped).toHaveLength(4);
  });

  it('writes formula-like names as text a spreadsheet will not run, and numbers as numbers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-'));
    const file = join(dir, 'names.csv');
    const names = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x.example","y")', '@SUM(1)', '+1+2', '-1+2'];
    const quoted = (v: string) => `"${v.replaceAll('"', '""')}"`;
    writeFileSync(
      file,
      [
        'event,round,competitor,item,judge,mark,difficulty',
        ...names.map((name, i) => `M10,Final,${quoted(name)},dive-1,J1,${i + 1},3.2`),
      ].join('\n'),
    );
    const { code, stdout } = run(['--scheme', 'diving', '--marks', file, '--format', 'csv']);
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(stdout).records.map((r) => r.fields);
    expect(header?.[2]).toBe('competitor');
    expect(rows.map((r) => r[2]).sort()).toEqual(names.map((n) => `'${n}`).sort());
    // Ranks and totals are numbers, left as they are.
    for (const row of rows) {
      expect(row[1]).toMatch(/^\d+$/);
      expect(row[3]).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it('reports malformed rows with their line numbers and computes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        'event,round,competitor,item,judge,mark,difficulty',
        'M10,Final,A,dive-1,J1,8,3.2',
        'M10,Final,A,dive-1,J2,8.3,3.2',
        'M10,Final,A,dive-9,J3,8,3.2',
        'M10,Finals,A,dive-1,J4,8,3.2',
        'M10,Final,A,dive-1,J1,7,3.2',
        'M10,Final,A,dive-1,J5,eight,3.2',
        'M10,Final,A,dive-1,J6,8,3.4',
      ].join('\n'),
    );
    const { code, stdout, stderr } = run(['--scheme', 'diving', '--marks', bad]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('line 3: mark 8.3 for execution must be in steps of 0.5');
    expect(stderr).toContain('line 4: unknown item "dive-9"');
    expect(stderr).toContain('line 5: unknown round "Finals"; the scheme\'s rounds are: Prelim, Semi, Final');
    expect(stderr).toContain('line 6: duplicate of line 2');
    expect(stderr).toContain('line 7: mark "eight" is not a number');
    expect(stderr).toContain('line 8: difficulty 3.4 differs from 3.2 on line 2');
  });

  it('names the known templates when the scheme is unknown', () => {
    const { code, stderr } = run(['--scheme', 'divng', '--marks', marksFile]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown template "divng"; templates: national-workers');
  });

  it('prints a table and a CSV', () => {
    expect(run(['--scheme', 'diving', '--marks', marksFile, '--format', 'table']).stdout).toMatch(
      /1\s+Cao Yuan\s+547\.50/,
    );
    expect(run(['--scheme', 'diving', '--marks', marksFile, '--format', 'csv']).stdout).toContain(
      'M10mPF,2,Tamai Rikuto,507.65,Final,',
    );
  });
});

describe('pnpm results on the FINA Diving World Cup 2021 (tests/fixtures/fina2021-world-cup.md)', () => {
  const worldCup = (event: 'm3m' | 'w3m', scheme: string) => {
    const { code, stdout, stderr } = run([
      '--scheme',
      scheme,
      '--marks',
      join(fixtures, `fina2021-world-cup-${event}.marks.csv`),
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return JSON.parse(stdout).events[0];
  };
  type Round = { round: string; standings: { competitor: string }[] };
  const sizes = (event: { rounds: Round[] }) => event.rounds.map((r) => [r.round, r.standings.length]);
  const menMarks = parseCsv(readFileSync(join(fixtures, 'fina2021-world-cup-m3m.marks.csv'), 'utf8'))
    .records.slice(1)
    .map((r) => r.fields);
  /** The judges who marked a dive of a round, whoever dove it (the panel of that dive). */
  const panelOf = (round: string, dive: number) =>
    [
      ...new Set(menMarks.filter((f) => f[1] === round && f[3] === `dive-${dive}`).map((f) => f[4] ?? '')),
    ].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

  it('reproduces every official rank and total of the men’s 3 m springboard, every round, with the shipped diving template', () => {
    const event = worldCup('m3m', 'diving');
    expect(sizes(event)).toEqual([
      ['Prelim', 54],
      ['Semi', 18],
      ['Final', 12],
    ]);
    expect(roundLines(event)).toEqual(officialRounds('fina2021-world-cup-m3m'));
    // Those the scheme advances are those who dove in the next round (two shared 15th in the preliminary).
    const [prelim, semi, final] = event.rounds;
    expect([...prelim.advancement.advancing].sort()).toEqual(
      semi.standings.map((s: Round['standings'][0]) => s.competitor).sort(),
    );
    expect([...semi.advancement.advancing].sort()).toEqual(
      final.standings.map((s: Round['standings'][0]) => s.competitor).sort(),
    );
  });

  it('is marked by two panels of seven alternating in the preliminary and semifinal, one in the final, a judge on several', () => {
    const A = ['J1', 'J2', 'J3', 'J4', 'J5', 'J6', 'J7'];
    const B = ['J8', 'J9', 'J10', 'J11', 'J12', 'J13', 'J14'];
    expect([1, 2, 3, 4, 5, 6].map((dive) => panelOf('Prelim', dive))).toEqual([A, A, B, B, A, B]);
    const semiA = panelOf('Semi', 1);
    const semiB = panelOf('Semi', 4);
    expect(semiA).toHaveLength(7);
    expect(semiB).toHaveLength(7);
    expect(semiA.filter((j) => semiB.includes(j))).toEqual([]);
    expect([2, 3].map((dive) => panelOf('Semi', dive))).toEqual([semiA, semiA]);
    expect([5, 6].map((dive) => panelOf('Semi', dive))).toEqual([semiB, semiB]);
    const final = panelOf('Final', 1);
    expect([2, 3, 4, 5, 6].map((dive) => panelOf('Final', dive))).toEqual(Array(5).fill(final));
    // RAO Lang (J13): preliminary panel B, semifinal panel A, the final's panel.
    expect(B).toContain('J13');
    expect(semiA).toContain('J13');
    expect(final).toContain('J13');
  });

  it('reproduces the women’s 3 m springboard (five dives, a referee’s 2-point deduction) from its scheme file', () => {
    const event = worldCup('w3m', join(fixtures, 'fina2021-world-cup-w3m.scheme.json'));
    expect(sizes(event)).toEqual([
      ['Prelim', 48],
      ['Semi', 18],
      ['Final', 12],
    ]);
    expect(roundLines(event)).toEqual(officialRounds('fina2021-world-cup-w3m'));
    // TAN Ashlee Yi Xuan's second dive: middle awards 4.0 + 4.5 + 4.5, 2 off each, × 2.8 = 19.60 (the book's *19.60).
    const tan = event.standings.find((s: { competitor: string }) => s.competitor === 'TAN Ashlee Yi Xuan');
    const dive = tan.components[0].attempts[1];
    expect(dive.points).toBe('19.6');
    expect(dive.aspects.map((a: { points: string }) => a.points)).toEqual(['13', '-6']);
    expect(tan.components[0].attempts).toHaveLength(5);
  });
});

describe('pnpm results with the championship scheme features', () => {
  /** Two rounds: a panel mark rounded to the hundredth then × 1.6 rounded again; the final has two runs of three. */
  const scheme = {
    name: 'championship',
    missingMark: 'averageOfOthers',
    rounding: { stages: { panelMark: { places: 2 }, aspect: { places: 2 } } },
    components: [
      {
        id: 'runs',
        name: 'runs',
        attempts: { label: 'run', count: 3 },
        aspects: [
          {
            kind: 'judgement',
            id: 'skating',
            name: 'skating',
            panel: 9,
            range: { min: '0.25', max: '10' },
            step: '0.25',
            aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
            rescale: { from: '1', to: '1.6' },
          },
        ],
      },
    ],
    rounds: [
      { id: 'Prelim', advance: 1 },
      { id: 'Final', attempts: { runs: 2 } },
    ],
  };
  const awards = (round: string, competitor: string, run: number, marks: string[]) =>
    marks.map((mark, j) => `E,${round},${competitor},run-${run},J${j + 1},${mark},`);
  const A = ['6.25', '6.5', '6.75', '6.75', '7', '7', '7', '7', '7'];
  const B = ['7.75', '7.75', '8', '8', '8.25', '8.25', '8.25', '8.5', '8.5'];

  function files(rows: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'results-'));
    writeFileSync(join(dir, 'scheme.json'), JSON.stringify(scheme));
    writeFileSync(
      join(dir, 'marks.csv'),
      ['event,round,competitor,item,judge,mark,difficulty', ...rows].join('\n'),
    );
    return ['--scheme', join(dir, 'scheme.json'), '--marks', join(dir, 'marks.csv'), '--format', 'json'];
  }

  it('rounds at two stages and scores a final of its own size', () => {
    const { code, stdout, stderr } = run(
      files([
        ...[1, 2, 3].flatMap((n) => awards('Prelim', 'X', n, A)),
        ...[1, 2, 3].flatMap((n) => awards('Prelim', 'Y', n, B)),
        ...[1, 2].flatMap((n) => awards('Final', 'Y', n, B)),
      ]),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [event] = JSON.parse(stdout).events;
    const totals = (round: string) =>
      event.rounds
        .find((r: { round: string }) => r.round === round)
        .standings.map((s: { competitor: string; total: string }) => [s.competitor, s.total]);
    // Each X run: round(round(48/7, 2) × 1.6, 2) = 10.98 (rounded once: 10.97); each Y run 13.02 (once: 13.03).
    expect(totals('Prelim')).toEqual([
      ['Y', '39.06'],
      ['X', '32.94'],
    ]);
    expect(totals('Final')).toEqual([['Y', '26.04']]);
  });

  it('refuses a third run in the final, naming the final’s items', () => {
    const { code, stderr } = run(files(awards('Final', 'Y', 3, B)));
    expect(code).toBe(1);
    expect(stderr).toContain('unknown item "run-3"; the scheme\'s items in round Final are: run-1, run-2');
  });
});

describe('pnpm results with a scheme per event', () => {
  const constructed = join(fixtures, 'constructed-3rounds');

  it('is the constructed fixture its generator writes', () => {
    const { scheme, marks } = constructedFixture();
    // The JSON as parsed: the file is laid out by the formatter (biome).
    expect(JSON.parse(scheme)).toEqual(JSON.parse(readFileSync(`${constructed}.scheme.json`, 'utf8')));
    expect(marks).toBe(readFileSync(`${constructed}.marks.csv`, 'utf8'));
  });

  it('scores each event by the scheme named for it (--scheme EVENT=file), the others by the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-'));
    const both = join(dir, 'both.csv');
    const [, ...paris] = readFileSync(marksFile, 'utf8').trimEnd().split('\n');
    writeFileSync(both, `${readFileSync(`${constructed}.marks.csv`, 'utf8')}${paris.join('\n')}\n`);
    const alone = (scheme: string, marks: string) =>
      JSON.parse(run(['--scheme', scheme, '--marks', marks]).stdout).events;
    const together = run([
      '--scheme',
      'diving',
      '--scheme',
      `M3mS=${constructed}.scheme.json`,
      '--marks',
      both,
    ]);
    expect([together.code, together.stderr]).toEqual([0, '']);
    expect(JSON.parse(together.stdout).events).toEqual([
      ...alone(`${constructed}.scheme.json`, `${constructed}.marks.csv`),
      ...alone('diving', marksFile),
    ]);
    // Without the default, an event no --scheme names is a bad line, and nothing is computed.
    const unnamed = run(['--scheme', `M3mS=${constructed}.scheme.json`, '--marks', both]);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain('no scheme is given for event "M10mPF"');
    expect(run(['--scheme', 'diving', '--scheme', 'diving', '--marks', both]).stderr).toContain(
      '--scheme without EVENT= is given twice',
    );
  });
});

describe('pnpm results on a large file', () => {
  it('writes JSON in pieces exactly as JSON.stringify would (Paris final, empty arrays, undefined, nesting)', () => {
    const diving = getTemplate('diving');
    if (!diving) throw new Error('diving template missing');
    const [event] = readMarksCsv(readFileSync(marksFile, 'utf8'), diving).events;
    if (!event) throw new Error('fixture empty');
    const events = [eventJson(diving, event.event, scoreEvent(diving, event.marks, event.difficulties))];
    const odd = { a: [], b: {}, c: undefined, d: [[1, [2, {}]], null, 'x\ny'], e: { f: { g: { h: [1] } } } };
    for (const value of [{ events }, odd, [], 'text', 3]) {
      const pieces: string[] = [];
      writeJson(value, (p) => pieces.push(p));
      expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    }
    const pieces: string[] = [];
    writeJson({ events }, (p) => pieces.push(p));
    // One piece per standing at least: no single string of the whole results.
    expect(pieces.length).toBeGreaterThan(events[0]?.standings.length ?? 0);
  });

  it('reads a marks file in pieces to the same marks as its whole text', () => {
    const diving = getTemplate('diving');
    if (!diving) throw new Error('diving template missing');
    expect(readMarksFile(marksFile, diving)).toEqual(readMarksCsv(readFileSync(marksFile, 'utf8'), diving));
  });
});

describe('pnpm results in bounded memory (decision 029)', () => {
  const constructed = join(fixtures, 'constructed-3rounds');
  const cases: { schemes: string[]; marks: string }[] = [
    { schemes: ['diving'], marks: marksFile },
    { schemes: ['diving'], marks: join(fixtures, 'fina2021-world-cup-m3m.marks.csv') },
    {
      schemes: [join(fixtures, 'fina2021-world-cup-w3m.scheme.json')],
      marks: join(fixtures, 'fina2021-world-cup-w3m.marks.csv'),
    },
    { schemes: [`${constructed}.scheme.json`], marks: `${constructed}.marks.csv` },
    { schemes: ['national-workers'], marks: join(fixtures, 'honours-welding.marks.csv') },
  ];

  it('prints byte for byte what the whole result tree prints, in every format', () => {
    for (const { schemes, marks } of cases) {
      const loaded = loadSchemes(schemes);
      const whole = standingsOf(readFileSync(marks, 'utf8'), (e) => loaded(e)?.scheme);
      expect(whole.errors).toEqual([]);
      for (const format of ['json', 'csv', 'table'] as const) {
        const bounded = run([
          ...schemes.flatMap((s) => ['--scheme', s]),
          '--marks',
          marks,
          '--format',
          format,
        ]);
        expect(bounded.code).toBe(0);
        expect(bounded.stdout).toBe(formatResults(whole.events, format));
      }
    }
  });
});
