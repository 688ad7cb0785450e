import { type HonourRuleSet, type HonourRuleSetInput, parseHonourRules } from './schema';

/**
 * The shipped honour rule sets, one per competition level. Every figure carries its source: a sentence of
 * the domain brief (docs/DOMAIN.md "Honours", gathered from real competition documents), or, where the
 * brief has no figure, `parameter: true` and a source that says the value is a default to be set.
 */

const BRIEF = 'Jiangxin domain brief, "Honours"';

const passMarks = (components: readonly string[]) =>
  components.map((component) => ({
    kind: 'passMark' as const,
    component,
    mark: '60',
    parameter: true,
    source: `${BRIEF}: pass marks in each component, "often 60, configurable"; default 60 of 100 for ${component}`,
  }));

const theoryAndPractical = passMarks(['theory', 'practical']);

const notDisqualified = {
  kind: 'notDisqualified' as const,
  source: `${BRIEF}: conditions seen in practice: not disqualified`,
};
const frontline = {
  kind: 'frontline' as const,
  source: `${BRIEF}: conditions seen in practice: the competitor is a frontline worker (一线职工)`,
};
const provincialMinimum = (count: number) => ({
  kind: 'minEntrants' as const,
  count,
  source: `${BRIEF}: one provincial rule cancels an event with fewer than 30 entrants in a group (15 for a WorldSkills selection)`,
});
const defaultMinimum = (count: number, why: string) => ({
  kind: 'minEntrants' as const,
  count,
  parameter: true,
  source: `${BRIEF}: "the event had a minimum number of competitors (configurable)"; no figure for ${why}; default ${count}, after the provincial rule of 30`,
});

const frontlineShare = {
  id: 'frontlineShare',
  of: 'frontline' as const,
  atLeast: '60',
  source: `${BRIEF}: share rules for nominees, e.g. frontline workers ≥ 60%`,
};
const shareRules = [
  frontlineShare,
  {
    id: 'unitHeadShare',
    of: 'unitHead' as const,
    atMost: '15',
    source: `${BRIEF}: share rules for nominees, e.g. unit heads ≤ 15%`,
  },
];

/** The promotion ladders of the national workers' competition. */
const toTechnician = {
  kind: 'skillLevel' as const,
  promotions: [
    {
      held: ['none' as const, 'junior' as const, 'intermediate' as const, 'senior' as const],
      awarded: 'technician' as const,
    },
    { held: ['technician' as const], awarded: 'seniorTechnician' as const },
  ],
  source: `${BRIEF}: places 1–5 get a promotion to 技师 (高级技师 if already 技师)`,
};
const toSenior = {
  kind: 'skillLevel' as const,
  promotions: [
    { held: ['none' as const, 'junior' as const, 'intermediate' as const], awarded: 'senior' as const },
    { held: ['senior' as const], awarded: 'technician' as const },
  ],
  source: `${BRIEF}: places 6–20 a promotion to 高级工 (技师 if already 高级工)`,
};

const nationalWorkers: HonourRuleSetInput = {
  id: 'national-workers',
  name: '全国职工职业技能大赛荣誉评定',
  nameEn: "National workers' skills competition honours",
  source: `${BRIEF}: national workers' competition (a national class-I event)`,
  competitionClass: 'national-I',
  honours: [
    {
      id: 'national-may-day-medal',
      name: '全国五一劳动奖章',
      nameEn: 'National May Day Labour Medal',
      covers: {
        from: 1,
        to: 1,
        source: `${BRIEF}: first place in each trade may apply, by procedure and if eligible (an earlier edition gave it to the top 3)`,
      },
      conditions: [
        {
          kind: 'competitionClass',
          classes: ['national-I'],
          source: `${BRIEF}: national workers' competition, a national class-I event`,
        },
        defaultMinimum(30, 'a national event'),
        ...theoryAndPractical,
        notDisqualified,
        frontline,
        {
          kind: 'quota',
          max: 31,
          parameter: true,
          source: `${BRIEF}: places reserved for competition winners in the national medal list: 31 in 2022, 23 in 2023; default 31, the organizer sets this competition's share`,
        },
      ],
    },
    {
      id: 'technical-expert',
      name: '全国技术能手',
      nameEn: 'National Technical Expert',
      covers: { from: 1, to: 5, source: `${BRIEF}: places 1–5 get 全国技术能手` },
      teamCovers: [
        {
          size: 2,
          from: 1,
          to: 3,
          source: `${BRIEF}: in the national skills contest 技术能手 goes to the top 3 pairs`,
        },
        {
          size: 3,
          from: 1,
          to: 2,
          source: `${BRIEF}: in the national skills contest 技术能手 goes to the top 2 three-person teams`,
        },
      ],
      conditions: [defaultMinimum(30, 'a national event'), ...theoryAndPractical, notDisqualified],
    },
    {
      id: 'promotion',
      name: '晋升职业技能等级（第 1–5 名）',
      nameEn: 'Skill-level promotion (places 1–5)',
      covers: { from: 1, to: 5, source: toTechnician.source },
      conditions: [notDisqualified, toTechnician],
    },
    {
      id: 'promotion-6-20',
      name: '晋升职业技能等级（第 6–20 名）',
      nameEn: 'Skill-level promotion (places 6–20)',
      covers: { from: 6, to: 20, source: toSenior.source },
      conditions: [notDisqualified, toSenior],
    },
    {
      id: 'excellence-award',
      name: '优胜奖',
      nameEn: 'Award of excellence',
      covers: {
        from: 4,
        withinShare: '0.5',
        source: `${BRIEF}: in the national skills contest an 优胜奖 goes to those outside the top 3 but in the upper half of entrants`,
      },
      conditions: [notDisqualified],
    },
  ],
  listRules: [{ ...frontlineShare, honours: ['national-may-day-medal'] }],
};

const provincialClass1: HonourRuleSetInput = {
  id: 'provincial-class-1',
  name: '省级一类竞赛荣誉评定',
  nameEn: 'Provincial class-I competition honours',
  source: `${BRIEF}: provinces grade competitions into classes (一类 / 二类 / 三类)`,
  competitionClass: 'provincial-I',
  honours: [
    {
      id: 'provincial-may-day-medal',
      name: '省五一劳动奖章',
      nameEn: 'Provincial May Day Labour Medal',
      covers: {
        from: 1,
        to: 1,
        source: `${BRIEF}: first place of a class-I event → provincial May Day Labour Medal`,
      },
      conditions: [
        {
          kind: 'competitionClass',
          classes: ['provincial-I'],
          source: `${BRIEF}: first place of a class-I event`,
        },
        provincialMinimum(30),
        ...theoryAndPractical,
        notDisqualified,
        frontline,
      ],
    },
    {
      id: 'technical-expert',
      name: '省技术能手',
      nameEn: 'Provincial Technical Expert',
      covers: { from: 1, to: 5, source: `${BRIEF}: top 5 of class-I events → provincial 技术能手` },
      conditions: [provincialMinimum(30), ...theoryAndPractical, notDisqualified],
    },
  ],
  listRules: shareRules,
};

const provincialClass2: HonourRuleSetInput = {
  id: 'provincial-class-2',
  name: '省级二类竞赛荣誉评定',
  nameEn: 'Provincial class-II competition honours',
  source: `${BRIEF}: class-II events are those run by an industry ministry or industry system`,
  competitionClass: 'provincial-II',
  honours: [
    {
      id: 'technical-expert',
      name: '省技术能手',
      nameEn: 'Provincial Technical Expert',
      covers: { from: 1, to: 3, source: `${BRIEF}: top 3 of class-II events → provincial 技术能手` },
      conditions: [
        {
          kind: 'competitionClass',
          classes: ['provincial-I', 'provincial-II'],
          source: `${BRIEF}: top 3 of class-II events`,
        },
        provincialMinimum(30),
        ...theoryAndPractical,
        notDisqualified,
      ],
    },
  ],
  listRules: shareRules,
};

const city: HonourRuleSetInput = {
  id: 'city',
  name: '市级竞赛荣誉评定',
  nameEn: 'City competition honours',
  source: `${BRIEF}: the brief names city medals (a county winner is a priority candidate for them) but gives no city rule; every figure here is a parameter`,
  competitionClass: 'city',
  honours: [
    {
      id: 'city-may-day-medal',
      name: '市五一劳动奖章',
      nameEn: 'City May Day Labour Medal',
      covers: {
        from: 1,
        to: 1,
        parameter: true,
        source: `${BRIEF}: no city figure; default first place, as the provincial class-I and county rules give it`,
      },
      conditions: [defaultMinimum(30, 'a city event'), ...theoryAndPractical, notDisqualified, frontline],
    },
    {
      id: 'technical-expert',
      name: '市技术能手',
      nameEn: 'City Technical Expert',
      covers: {
        from: 1,
        to: 3,
        parameter: true,
        source: `${BRIEF}: no city figure; default the top 3, as a provincial class-II event gives it`,
      },
      conditions: [...theoryAndPractical, notDisqualified],
    },
  ],
  listRules: shareRules,
};

const county: HonourRuleSetInput = {
  id: 'county',
  name: '县级竞赛荣誉评定',
  nameEn: 'County competition honours',
  source: `${BRIEF}: a county rule`,
  competitionClass: 'county',
  honours: [
    {
      id: 'county-may-day-medal',
      name: '县五一劳动奖章',
      nameEn: 'County May Day Labour Medal',
      covers: {
        from: 1,
        to: 1,
        source: `${BRIEF}: the comprehensive first place who meets the basic conditions may apply for the county May Day Labour Medal`,
      },
      conditions: [...theoryAndPractical, notDisqualified, frontline],
    },
    {
      id: 'priority-candidate',
      name: '省、市五一劳动奖章优先推荐人选',
      nameEn: 'Priority candidate for the provincial and city May Day Labour Medals',
      covers: {
        from: 1,
        to: 1,
        source: `${BRIEF}: the county first place becomes a priority candidate for provincial and city medals, 工人先锋号 and model-worker selection`,
      },
      conditions: [...theoryAndPractical, notDisqualified, frontline],
    },
    {
      id: 'worker-pioneer',
      name: '工人先锋号优先推荐（团体）',
      nameEn: "Priority candidate for the Workers' Pioneer title (team)",
      recipient: 'team',
      covers: {
        from: 1,
        to: 1,
        source: `${BRIEF}: the county first place becomes a priority candidate for … 工人先锋号 (a team honour); in a team event, the first-placed team`,
      },
      conditions: [notDisqualified],
    },
    {
      id: 'advanced-unit',
      name: '竞赛先进单位',
      nameEn: 'Advanced unit of the competition',
      recipient: 'unit',
      covers: {
        from: 1,
        to: 3,
        parameter: true,
        source: `${BRIEF}: units with outstanding results are named 竞赛先进单位; no figure; default: competitors in places 1–3`,
      },
      unitMinimum: {
        count: 2,
        parameter: true,
        source: `${BRIEF}: no figure for "outstanding results"; default: at least 2 of the unit's competitors in places 1–3`,
      },
      conditions: [notDisqualified],
    },
  ],
  listRules: shareRules,
};

export const honourTemplateInputs: Readonly<Record<string, HonourRuleSetInput>> = {
  'national-workers': nationalWorkers,
  'provincial-class-1': provincialClass1,
  'provincial-class-2': provincialClass2,
  city,
  county,
};

export const honourTemplateNames = Object.keys(honourTemplateInputs);

export function getHonourTemplate(name: string): HonourRuleSet | undefined {
  // Own names only: `__proto__` or `constructor` would otherwise find Object's.
  if (!honourTemplateNames.includes(name)) return undefined;
  const input = honourTemplateInputs[name];
  if (!input) return undefined;
  const parsed = parseHonourRules(input);
  if (!parsed.ok)
    throw new Error(
      `honour template "${name}" is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  return parsed.rules;
}
