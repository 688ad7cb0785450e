/**
 * Every string the client shows. Chinese (zh-CN) is the reference; English must have the same keys.
 * `{name}` is replaced by the value of `name`.
 */
export const zhCN = {
  'app.brand': '匠心',
  'app.brandLatin': 'Jiangxin',
  'app.tagline': '职工技能竞赛评分与实时成绩',
  'app.footer': '匠心 Jiangxin · 评分引擎按评分标准精确计算，不做任何浮点近似',
  'lang.switchTo': 'English',
  'lang.switchLabel': '切换到英文界面',
  'tabs.label': '功能',
  'tab.demo': '演示成绩',
  'tab.templates': '评分模板',
  'tab.verify': '成绩复核',

  'common.loading': '正在加载…',
  'common.failed': '加载失败：{message}',
  'common.retry': '重试',
  'common.none': '无',

  'standings.rank': '名次',
  'standings.competitor': '选手',
  'standings.total': '总分',
  'standings.dsq': '取消资格',
  'standings.shared': '并列',
  'standings.decidedBy': '按 {by} 决出',
  'standings.incomplete': '成绩不完整',
  'standings.show': '查看 {name} 的评分明细',
  'standings.hide': '收起 {name} 的评分明细',
  'standings.event': '比赛项目 {event}',

  'detail.attempt': '序号',
  'detail.difficulty': '难度系数',
  'detail.awards': '裁判评分',
  'detail.points': '得分',
  'detail.aspect': '评分项',
  'detail.dropped': '去掉的分数',
  'detail.legend': '划线的分数为按规则去掉的最高分和最低分。',
  'detail.notCounted': '不计入',
  'detail.componentScore': '{name}：{score} 分',
  'detail.deductions': '扣分：{points}',
  'detail.disqualified': '因 {by} 取消资格',

  'demo.title': '演示：{title}',
  'demo.intro': '下表由评分引擎根据每位裁判对每一跳的原始评分实时计算得出，与官方公布的成绩逐一相符。',
  'demo.source': '数据来源：{source}',
  'demo.hint': '点击选手所在行，查看每一跳的难度系数、七名裁判的评分（划线的为去掉的分数）和得分。',
  'demo.scheme': '评分规则：{scheme}',

  'templates.intro':
    '系统内置的评分模板。每个模板都是一份数据化的评分标准，组织方可在其基础上制定本赛事的评分规则。',
  'templates.source': '依据：{source}',
  'templates.components': '评分模块',
  'templates.rounds': '赛程',
  'templates.pick': '点击左侧模板查看评分模块与评分项。',
  'templates.weight': '权重 {weight}%',
  'templates.max': '满分 {max}',
  'templates.attempts': '共 {count} 次动作（{label}-1 至 {label}-{count}），{combine}',
  'templates.combine.sum': '各次得分相加',
  'templates.combine.best': '取最好一次',
  'templates.difficulty': '每次得分乘以难度系数',
  'templates.advance': '前 {count} 名晋级',
  'templates.carryOver': '带入 {rounds} 的成绩',
  'templates.precision': '成绩保留 {count} 位小数',
  'templates.tieBreaks': '并列时依次比较：{list}',
  'templates.noTieBreaks': '总分相同则名次并列',
  'kind.judgement': '裁判评分',
  'kind.measurement': '客观测量',
  'kind.deduction': '扣分',
  'kind.veto': '一票否决',
  'aspect.panel': '{count} 名裁判',
  'aspect.range': '评分范围 {min}–{max}，最小单位 {step}',
  'aspect.drop': '去掉 {high} 个最高分、{low} 个最低分',
  'aspect.method.mean': '取平均',
  'aspect.method.median': '取中位数',
  'aspect.method.sum': '求和',
  'aspect.max': '满分 {max}',
  'aspect.per': '每次扣 {per}',
  'aspect.cap': '最多扣 {cap}',
  'aspect.veto.zero': '该项记零分',
  'aspect.veto.disqualify': '取消资格',

  'verify.intro': '选择评分模板，粘贴或上传成绩文件（CSV），系统重新计算名次，供仲裁委员会复核官方成绩。',
  'verify.template': '评分模板',
  'verify.marks': '成绩文件（CSV）',
  'verify.columns':
    '列：event, round, competitor, item, judge, mark，以及可选的 difficulty；每行一名裁判的一个评分。',
  'verify.upload': '上传 CSV 文件',
  'verify.sample': '载入演示数据',
  'verify.submit': '计算成绩',
  'verify.working': '正在计算…',
  'verify.empty': '请先粘贴或上传成绩文件。',
  'verify.badLines': '成绩文件有 {count} 处错误，未计算任何成绩：',
  'verify.line': '第 {line} 行',
  'verify.result': '计算结果',
  'verify.noEvents': '成绩文件中没有任何比赛项目。',
} as const;

export type MessageKey = keyof typeof zhCN;

export const en: Record<MessageKey, string> = {
  'app.brand': '匠心',
  'app.brandLatin': 'Jiangxin',
  'app.tagline': 'Judging and live scoring for workers’ skills competitions',
  'app.footer':
    'Jiangxin · the scoring engine computes exactly as the scheme says, with no floating-point rounding',
  'lang.switchTo': '中文',
  'lang.switchLabel': 'Switch to Chinese',
  'tabs.label': 'Sections',
  'tab.demo': 'Demo results',
  'tab.templates': 'Templates',
  'tab.verify': 'Verify results',

  'common.loading': 'Loading…',
  'common.failed': 'Could not load: {message}',
  'common.retry': 'Retry',
  'common.none': 'none',

  'standings.rank': 'Rank',
  'standings.competitor': 'Competitor',
  'standings.total': 'Total',
  'standings.dsq': 'DSQ',
  'standings.shared': 'tie',
  'standings.decidedBy': 'decided by {by}',
  'standings.incomplete': 'incomplete',
  'standings.show': 'Show the marks of {name}',
  'standings.hide': 'Hide the marks of {name}',
  'standings.event': 'Event {event}',

  'detail.attempt': 'No.',
  'detail.difficulty': 'Difficulty',
  'detail.awards': 'Judges’ awards',
  'detail.points': 'Points',
  'detail.aspect': 'Aspect',
  'detail.dropped': 'dropped',
  'detail.legend': 'Struck-out awards are the highest and lowest, dropped by the rules.',
  'detail.notCounted': 'not counted',
  'detail.componentScore': '{name}: {score}',
  'detail.deductions': 'Deductions: {points}',
  'detail.disqualified': 'Disqualified by {by}',

  'demo.title': 'Demo: {title}',
  'demo.intro':
    'These standings are computed live by the scoring engine from every judge’s award for every dive, and match the official results.',
  'demo.source': 'Source: {source}',
  'demo.hint':
    'Click a competitor to see each dive’s degree of difficulty, the seven judges’ awards (struck out: dropped) and the points.',
  'demo.scheme': 'Scheme: {scheme}',

  'templates.intro':
    'The scheme templates shipped with the system. Each is a marking scheme as data, a starting point for an event’s own rules.',
  'templates.source': 'Source: {source}',
  'templates.components': 'Components',
  'templates.rounds': 'Rounds',
  'templates.pick': 'Pick a template to see its components and aspects.',
  'templates.weight': 'weight {weight}%',
  'templates.max': 'max {max}',
  'templates.attempts': '{count} attempts ({label}-1 to {label}-{count}), {combine}',
  'templates.combine.sum': 'summed',
  'templates.combine.best': 'the best counts',
  'templates.difficulty': 'each multiplied by its degree of difficulty',
  'templates.advance': 'top {count} advance',
  'templates.carryOver': 'adds the scores of {rounds}',
  'templates.precision': 'scores to {count} decimal places',
  'templates.tieBreaks': 'ties broken by: {list}',
  'templates.noTieBreaks': 'equal totals share the place',
  'kind.judgement': 'Judged',
  'kind.measurement': 'Measured',
  'kind.deduction': 'Deduction',
  'kind.veto': 'Veto',
  'aspect.panel': '{count} judges',
  'aspect.range': 'marks {min}–{max} in steps of {step}',
  'aspect.drop': 'drop {high} highest and {low} lowest',
  'aspect.method.mean': 'mean',
  'aspect.method.median': 'median',
  'aspect.method.sum': 'sum',
  'aspect.max': 'max {max}',
  'aspect.per': '{per} per fault',
  'aspect.cap': 'at most {cap}',
  'aspect.veto.zero': 'scores zero',
  'aspect.veto.disqualify': 'disqualifies',

  'verify.intro':
    'Pick a scheme template and paste or upload a marks file (CSV): the standings are recomputed, the way an appeals jury verifies official results.',
  'verify.template': 'Scheme template',
  'verify.marks': 'Marks file (CSV)',
  'verify.columns':
    'Columns: event, round, competitor, item, judge, mark and optionally difficulty; one row per judge’s mark.',
  'verify.upload': 'Upload a CSV file',
  'verify.sample': 'Load the demo marks',
  'verify.submit': 'Compute standings',
  'verify.working': 'Computing…',
  'verify.empty': 'Paste or upload a marks file first.',
  'verify.badLines': 'The marks file has {count} error(s); nothing was computed:',
  'verify.line': 'Line {line}',
  'verify.result': 'Standings',
  'verify.noEvents': 'The marks file holds no event.',
};

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

export const messages: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** The message for `key` in `locale`, with `{name}` placeholders filled in. */
export function format(
  locale: Locale,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return messages[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
