import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { honourTemplateInputs } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { runHonours } from './honours';
import { runResults } from './results';

const fixtures = join(import.meta.dirname, '../../tests/fixtures');
const peopleFile = join(fixtures, 'honours-welding.people.csv');
const dir = mkdtempSync(join(tmpdir(), 'honours-'));

function capture(run: (out: (s: string) => void, err: (s: string) => void) => number) {
  let stdout = '';
  let stderr = '';
  const code = run(
    (s) => {
      stdout += s;
    },
    (s) => {
      stderr += s;
    },
  );
  return { code, stdout, stderr };
}

/** The welding final of the fixture, scored by `pnpm results` (W01 92.82; W02 and W03 share 2nd). */
const resultsFile = (() => {
  const path = join(dir, 'welding.json');
  const { code, stdout } = capture((o, e) =>
    runResults(
      [
        '--scheme',
        'national-workers',
        '--marks',
        join(fixtures, 'honours-welding.marks.csv'),
        '--format',
        'json',
      ],
      o,
      e,
    ),
  );
  if (code !== 0) throw new Error('pnpm results failed on the fixture');
  writeFileSync(path, stdout);
  return path;
})();

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const honours = (args: string[]) => capture((o, e) => runHonours(args, o, e));
const base = ['--results', resultsFile, '--people', peopleFile];

describe('pnpm honours', () => {
  it('answers the JSON shape of issue 11, every condition with its figure', () => {
    const { code, stdout } = honours(['--rules', 'county', ...base]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['candidates', 'ties', 'listRules']);
    const medal = json.candidates.find(
      (c: { honour: string; competitor: string }) =>
        c.honour === 'county-may-day-medal' && c.competitor === 'W01',
    );
    expect(medal).toEqual({
      honour: 'county-may-day-medal',
      event: 'welding',
      competitor: 'W01',
      place: 1,
      recommended: false,
      conditions: [
        {
          id: 'place',
          passed: true,
          figure: { 'zh-CN': '第 1 名（共 6 名）；范围：第 1 名', en: 'place 1 of 6; covers place 1' },
        },
        {
          id: 'passMark:theory',
          passed: true,
          figure: { 'zh-CN': 'theory 92.00 ≥ 60', en: 'theory 92.00 ≥ 60' },
        },
        {
          id: 'passMark:practical',
          passed: true,
          figure: { 'zh-CN': 'practical 93.17 ≥ 60', en: 'practical 93.17 ≥ 60' },
        },
        {
          id: 'notDisqualified',
          passed: true,
          figure: { 'zh-CN': '未被取消资格，无否决', en: 'not disqualified, no veto' },
        },
        { id: 'frontline', passed: false, figure: { 'zh-CN': '不是一线职工', en: 'not a frontline worker' } },
      ],
    });
    // Two competitors of 三明钢铁 share 2nd place: the unit is a 竞赛先进单位.
    expect(
      json.candidates
        .filter(
          (c: { honour: string; recommended: boolean }) => c.honour === 'advanced-unit' && c.recommended,
        )
        .map((c: { competitor: string }) => c.competitor),
    ).toEqual(['三明钢铁']);
  });

  it('takes the competition class from --class and an edited rule set from a file', () => {
    const rules = structuredClone(honourTemplateInputs['provincial-class-2']);
    const expert = rules?.honours[0];
    if (expert) expert.conditions = expert.conditions.filter((c) => c.kind !== 'minEntrants');
    const file = write('class2.json', JSON.stringify(rules));
    const asCity = JSON.parse(honours(['--rules', file, ...base, '--class', 'city']).stdout);
    expect(asCity.candidates.filter((c: { recommended: boolean }) => c.recommended)).toEqual([]);
    const asClass2 = JSON.parse(honours(['--rules', file, ...base, '--class', 'provincial-II']).stdout);
    expect(
      asClass2.candidates
        .filter((c: { recommended: boolean }) => c.recommended)
        .map((c: { competitor: string }) => c.competitor),
    ).toEqual(['W01', 'W02', 'W03']);
  });

  it('prints a table of the covered candidates with the failing conditions', () => {
    const { code, stdout } = honours(['--rules', 'county', ...base, '--format', 'table']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /county-may-day-medal\s+welding\s+W01\s+1\s+no\s+frontline: not a frontline worker/,
    );
    expect(stdout).toContain('ok frontlineShare: no nominees');
  });

  it('reports an unknown competitor and a malformed flag with their lines, and computes nothing', () => {
    const people = write(
      'people.csv',
      `${readFileSync(peopleFile, 'utf8').replace('W04,泉州机械,yes,no', 'W04,泉州机械,sometimes,no')}W99,某厂,yes,yes,,no\n`,
    );
    const { code, stdout, stderr } = honours([
      '--rules',
      'county',
      '--results',
      resultsFile,
      '--people',
      people,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('line 5: frontline "sometimes" must be yes or no');
    expect(stderr).toContain(`line 8: unknown competitor "W99": not in ${resultsFile}`);
    expect(stderr).toContain('nothing was computed');
  });

  it('reports a competitor of the results without a people row', () => {
    const people = write('short.csv', readFileSync(peopleFile, 'utf8').replace(/W06.*\n/, ''));
    const { code, stderr } = honours(['--rules', 'county', '--results', resultsFile, '--people', people]);
    expect(code).toBe(1);
    expect(stderr).toContain('events.0.standings.5: competitor "W06" has no row');
  });

  it('reports a rule set that does not parse with its path, and computes nothing', () => {
    const rules = structuredClone(honourTemplateInputs.county);
    const medal = rules?.honours[0] as { conditions: unknown[] };
    medal.conditions.push({ kind: 'quota', max: 0, source: 'test' });
    const file = write('bad-rules.json', JSON.stringify(rules));
    const { code, stdout, stderr } = honours(['--rules', file, ...base]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('honours.0.conditions.4.max: must be at least 1');
  });

  it('refuses a malformed flag, class or results file', () => {
    expect(honours(['--rules', 'county', ...base, '--format', 'xml']).stderr).toContain(
      '--format must be json or table',
    );
    expect(honours(['--rules', 'county', ...base, '--class', 'galactic']).stderr).toContain(
      '--class must be one of national-I',
    );
    expect(honours(['--rules', 'nowhere', ...base]).stderr).toContain('unknown honour template "nowhere"');
    expect(honours(['--rules', 'county', ...base, '--bogus']).code).toBe(2);
    const broken = write(
      'broken.json',
      JSON.stringify({ events: [{ event: 'x', standings: [{ rank: 'first' }] }] }),
    );
    const { code, stderr } = honours(['--rules', 'county', '--results', broken, '--people', peopleFile]);
    expect(code).toBe(1);
    expect(stderr).toContain('events.0.standings.0.rank');
  });
});

describe('pnpm honours with teams', () => {
  /** The welding final read as a team event: each W0n is a pair, its members W0n-a and W0n-b. */
  const teamPeople = (extra = '') =>
    write(
      `teams${extra.length}.csv`,
      [
        'competitor,unit,frontline,unionMember,skillLevel,unitHead,team',
        ...['W01', 'W02', 'W03', 'W04', 'W05', 'W06'].flatMap((w) => [
          `${w}-a,${w}厂,yes,yes,,no,${w}`,
          `${w}-b,${w}厂,${w === 'W01' ? 'no' : 'yes'},yes,,no,${w}`,
        ]),
        extra,
      ]
        .filter(Boolean)
        .join('\n'),
    );

  it('gives individual honours to each member and 工人先锋号 to the first team', () => {
    const { code, stdout, stderr } = honours([
      '--rules',
      'county',
      '--results',
      resultsFile,
      '--people',
      teamPeople(),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    type C = { honour: string; competitor: string; team?: string; recommended: boolean; place: number };
    const of = (honour: string) => json.candidates.filter((c: C) => c.honour === honour);
    expect(of('worker-pioneer').map((c: C) => [c.competitor, c.team, c.place, c.recommended])).toContainEqual(
      ['W01', 'W01', 1, true],
    );
    // W01-b is not a frontline worker: the medal's frontline condition names the member's own record.
    const b = of('county-may-day-medal').find((c: C) => c.competitor === 'W01-b');
    expect(b).toMatchObject({ team: 'W01', place: 1 });
    expect(b.conditions.find((x: { id: string }) => x.id === 'frontline')).toMatchObject({ passed: false });
    const a = of('county-may-day-medal').find((c: C) => c.competitor === 'W01-a');
    expect(a.conditions.find((x: { id: string }) => x.id === 'frontline')).toMatchObject({ passed: true });
    expect(
      honours(['--rules', 'county', '--results', resultsFile, '--people', teamPeople(), '--format', 'table'])
        .stdout,
    ).toContain('W01-a (W01)');
  });

  it('names a row whose team the results do not have, and computes nothing', () => {
    const { code, stdout, stderr } = honours([
      '--rules',
      'county',
      '--results',
      resultsFile,
      '--people',
      teamPeople('X-a,X厂,yes,yes,,no,X99'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('line 14: unknown team "X99"');
  });
});
