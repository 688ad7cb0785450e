import type { Role } from '@jiangxin/shared';

/**
 * The catalogue of the HTTP API as /docs shows it: each operation's group and one-line summary (zh-CN ·
 * English), keyed by "METHOD /api/path" as the OpenAPI document spells the path. Which token an operation
 * needs comes from the route's own `allowRoles` hook; only routes that check the caller some other way say
 * here who may call them (`access`). openapi.test.ts fails when a route and this catalogue disagree.
 */

/** The groups, in the order /docs lists them. */
export const tags = {
  health: '健康 · 服务器是否在线。 Health: whether the server answers.',
  templates: '模板 · 内置的评分方案。 Templates: the built-in scoring schemes.',
  results:
    '成绩计算 · 复核工具与演示决赛：由评分方案与评分计算成绩。 Results tool: results from a scheme and marks (verify tool, demo final).',
  auth: '账号与设备 · 登录、成员、设备配对、平板上的裁判登录。 Accounts and devices: sign-in, members, pairing, judges signing in on tablets.',
  setup:
    '竞赛设置 · 竞赛、赛项、选手、裁判、试跳申报、裁判组与回避。 Setup: competitions, events, competitors, judges, declared attempts, panels and recusal.',
  draw: '抽签与加密 · 抽签、检录、工位号与选手的对应。 Draw and encryption: the draw, check-in, the workstation mapping.',
  marks: '评分 · 平板评分、纸质评分、更正申请。 Marks: tablet marks, paper marks, corrections.',
  review:
    '审核与发布 · 裁判长审核、复评、签字、解密、公布、冻结与揭晓、成绩。 Review and publication: review, re-marks, sign-off, decryption, publication, freeze and reveal, results.',
  honours:
    '荣誉评定 · 荣誉评定规则、由已公布成绩计算的推荐名单、组委会调整（须说明理由）与公布。 Honours: the rule set, the recommendation list computed from published results, the organizer’s overrides (with a reason) and publication.',
  audit: '审计 · 审计链校验。 Audit: verifying the audit chain.',
  exports:
    '导出 · 正式成绩（XLSX、CSV、PDF）、评分明细与评分方案，注明审计位置。 Exports: official results (XLSX, CSV, PDF), the marks and the scheme, each naming its audit position.',
  live: '实况 · 场次实时成绩（HTTP）；推送见 Socket.IO 文档。 Live: a round’s live standings over HTTP; the push is in the Socket.IO document.',
} as const;

export type Tag = keyof typeof tags;

/** Who may call a route that has no allowRoles hook. */
export type Access =
  /** No token needed (one sent is still checked: an invalid one is refused). */
  | 'public'
  /** Anyone; a token changes the answer. */
  | 'optional'
  /** The token of … (zh-CN · English). */
  | { token: string };

export interface Operation {
  tag: Tag;
  /** One line: "zh-CN · English". */
  summary: string;
  /** Only for routes without an allowRoles hook. */
  access?: Access;
  /** More than the summary says, when the caller needs it (zh-CN · English). */
  note?: string;
}

/** Role names as the staff consoles show them. */
export const roleNames = {
  organizer: '组委会 organizer',
  chiefJudge: '裁判长 chiefJudge',
  encryptionOfficer: '加密裁判 encryptionOfficer',
  scorekeeper: '记分员 scorekeeper',
  judge: '裁判（平板） judge',
  display: '大屏 display',
  public: '公众 public',
} as const satisfies Record<Role, string>;

const C = '/api/competitions/{competitionId}';
const R = `${C}/rounds/{roundId}`;
const E = `${C}/events/{eventId}`;

/** Who may export what (the note of every export route). */
const exportNote =
  '成绩公布后任何人可导出；公布前只有裁判长与组委会（草稿，带“草稿”水印），其他人 403 `results_not_published`。响应头 `X-Audit-Position` 为审计位置（序号:哈希），`X-Results-Status` 为 official 或 draft。 ' +
  'Anyone once published; before, only the chief judge and the organizer (a draft, watermarked), others 403 ' +
  '`results_not_published`. `X-Audit-Position` (seq:hash) and `X-Results-Status` (official | draft) say what it was made from.';

const exportOf = (summary: string): Operation => ({ tag: 'exports', summary, note: exportNote });

const honoursExportNote =
  '组委会公布名单前只有组委会与裁判长可导出（草稿，带水印），其他人 403 `honours_not_published`；含每个条件及其依据与组委会的调整理由。 ' +
  'Before the organizer publishes the list, only the organizer and the chief judge (a draft, watermarked); others 403 ' +
  '`honours_not_published`. Every condition with its figure, and the organizer’s overrides with their reasons.';

const honoursExportOf = (summary: string): Operation => ({
  tag: 'exports',
  summary,
  note: honoursExportNote,
});

export const operations: Record<string, Operation> = {
  'GET /api/health': { tag: 'health', summary: '健康检查 · Health check', access: 'public' },

  'GET /api/templates': {
    tag: 'templates',
    summary: '列出评分方案模板 · List the scheme templates',
    access: 'public',
  },
  'GET /api/templates/{name}': {
    tag: 'templates',
    summary: '读取一个模板 · Get one template',
    access: 'public',
  },

  'GET /api/demo/results': {
    tag: 'results',
    summary: '演示决赛的成绩 · Results of the demo final',
    access: 'public',
  },
  'GET /api/demo/marks.csv': {
    tag: 'results',
    summary: '演示决赛的评分（CSV） · Marks of the demo final (CSV)',
    access: 'public',
  },
  'POST /api/results': {
    tag: 'results',
    summary: '由方案与评分计算成绩（复核） · Compute results from a scheme and marks (verify)',
    access: 'public',
  },

  'POST /api/auth/login': { tag: 'auth', summary: '账号登录 · Sign in with an account', access: 'public' },
  'GET /api/auth/me': {
    tag: 'auth',
    summary: '当前身份 · Who am I',
    access: 'optional',
    note: '无令牌时回答"公众"。 Without a token the answer is "public".',
  },
  'POST /api/auth/refresh': {
    tag: 'auth',
    summary: '续期令牌 · Renew the token',
    access: { token: '任一账号或设备 · any account or device' },
  },
  'POST /api/devices/pair': {
    tag: 'auth',
    summary: '用配对码配对设备 · Pair a device with its code',
    access: 'public',
  },
  'GET /api/devices/judges': {
    tag: 'auth',
    summary: '平板上可登录的裁判 · Judges who may sign in on this tablet',
    access: { token: '已配对的裁判平板 · a paired judge’s tablet' },
  },
  'POST /api/devices/judge-sign-in': {
    tag: 'auth',
    summary: '裁判用 PIN 登录平板 · A judge signs in on the tablet with a PIN',
    access: { token: '未有裁判登录的已配对平板 · a paired tablet no judge is signed in on' },
  },
  'POST /api/devices/judge-sign-out': {
    tag: 'auth',
    summary: '裁判退出平板 · The judge signs out of the tablet',
    access: { token: '已登录的裁判 · a signed-in judge' },
  },
  'POST /api/devices/judge-resume': {
    tag: 'auth',
    summary: '令牌过期后用 PIN 恢复裁判登录 · Resume a judge’s session with the PIN after the token lapsed',
    access: 'public',
    note: '过期的令牌放在请求体中。 The lapsed token travels in the body.',
  },
  [`GET ${C}/members`]: { tag: 'auth', summary: '竞赛成员 · Members of the competition' },
  [`POST ${C}/members`]: { tag: 'auth', summary: '授予成员角色 · Grant a member a role' },
  [`GET ${C}/devices`]: { tag: 'auth', summary: '竞赛的设备 · Devices of the competition' },
  [`POST ${C}/devices`]: { tag: 'auth', summary: '登记设备 · Register a device' },
  [`POST ${C}/devices/{deviceId}/pairing-code`]: {
    tag: 'auth',
    summary: '生成新的配对码 · Issue a new pairing code',
  },
  [`POST ${C}/devices/{deviceId}/revoke`]: { tag: 'auth', summary: '撤销设备 · Revoke a device' },
  [`POST ${C}/judges/{judgeId}/pin`]: { tag: 'auth', summary: '设置裁判 PIN · Set a judge’s PIN' },

  'POST /api/competitions': {
    tag: 'setup',
    summary: '创建竞赛 · Create a competition',
    access: { token: '工会的组委会账号 · an organizer account of the union' },
  },
  'GET /api/competitions': {
    tag: 'setup',
    summary: '我的竞赛 · My competitions',
    access: { token: '任一账号或设备 · any account or device' },
  },
  [`GET ${C}`]: { tag: 'setup', summary: '读取竞赛 · Get the competition' },
  [`POST ${C}/events`]: { tag: 'setup', summary: '创建赛项 · Create an event' },
  [`GET ${C}/events`]: { tag: 'setup', summary: '列出赛项 · List the events' },
  [`GET ${C}/events/{eventId}`]: { tag: 'setup', summary: '读取赛项 · Get an event' },
  [`POST ${C}/events/{eventId}/competitors`]: { tag: 'setup', summary: '登记选手 · Register a competitor' },
  [`GET ${C}/events/{eventId}/competitors`]: { tag: 'setup', summary: '列出选手 · List the competitors' },
  [`POST ${C}/events/{eventId}/competitors/import`]: {
    tag: 'setup',
    summary: '导入选手（CSV/XLSX） · Import competitors (CSV/XLSX)',
  },
  [`POST ${C}/events/{eventId}/competitors/import/preview`]: {
    tag: 'setup',
    summary: '预览选手导入（逐行报告，不保存） · Preview a competitors import (row by row, nothing saved)',
  },
  [`GET ${C}/competitors/{competitorId}`]: { tag: 'setup', summary: '读取选手 · Get a competitor' },
  [`PATCH ${C}/competitors/{competitorId}`]: { tag: 'setup', summary: '修改选手 · Update a competitor' },
  [`PATCH ${C}/competitors/{competitorId}/members/{memberId}`]: {
    tag: 'setup',
    summary: '修改团队成员 · Update a team member',
  },
  [`POST ${C}/competitors/{competitorId}/members`]: {
    tag: 'setup',
    summary: '添加团队成员 · Add a team member',
  },
  [`DELETE ${C}/competitors/{competitorId}/members/{memberId}`]: {
    tag: 'setup',
    summary: '移除团队成员 · Remove a team member',
  },
  [`POST ${C}/judges`]: { tag: 'setup', summary: '登记裁判 · Register a judge' },
  [`GET ${C}/judges`]: { tag: 'setup', summary: '列出裁判 · List the judges' },
  [`POST ${C}/judges/import`]: { tag: 'setup', summary: '导入裁判（CSV/XLSX） · Import judges (CSV/XLSX)' },
  [`POST ${C}/judges/import/preview`]: {
    tag: 'setup',
    summary: '预览裁判导入（逐行报告，不保存） · Preview a judges import (row by row, nothing saved)',
  },
  [`PUT ${R}/competitors/{competitorId}/attempts`]: {
    tag: 'setup',
    summary: '申报选手的试跳 · Declare a competitor’s attempts',
  },
  [`GET ${R}/competitors/{competitorId}/attempts`]: {
    tag: 'setup',
    summary: '选手申报的试跳 · A competitor’s declared attempts',
  },
  [`POST ${C}/events/{eventId}/panels`]: { tag: 'setup', summary: '创建裁判组 · Create a panel' },
  [`GET ${C}/events/{eventId}/panels`]: { tag: 'setup', summary: '列出裁判组 · List the panels' },
  [`GET ${C}/panels/{panelId}`]: { tag: 'setup', summary: '读取裁判组 · Get a panel' },
  [`PUT ${C}/panels/{panelId}/coverage`]: {
    tag: 'setup',
    summary:
      '更改裁判组的评分范围（场次、分组、选手） · Replace what a panel covers (round, group, competitors)',
  },
  [`POST ${C}/rounds/{roundId}/panel-draw`]: {
    tag: 'setup',
    summary: '裁判抽签：将裁判库的裁判抽入本场次的裁判组 · Draw judges of the pool to the panels of a round',
  },
  [`PUT ${C}/panels/{panelId}/seats/{seat}`]: {
    tag: 'setup',
    summary: '安排裁判席位（检查回避） · Seat a judge (recusal checked)',
  },
  [`DELETE ${C}/panels/{panelId}/seats/{seat}`]: { tag: 'setup', summary: '清空裁判席位 · Clear a seat' },

  [`POST ${C}/events/{eventId}/draw`]: { tag: 'draw', summary: '抽签 · Draw the entry numbers' },
  [`POST ${R}/check-in`]: {
    tag: 'draw',
    summary: '检录并分配工位号 · Check a competitor in (workstation code)',
  },
  [`GET ${R}/mapping`]: { tag: 'draw', summary: '工位号与选手的对应 · The workstation mapping' },
  [`GET ${R}/workstations`]: { tag: 'draw', summary: '场次的工位号 · The round’s workstation codes' },

  [`POST ${R}/marks`]: { tag: 'marks', summary: '提交评分 · Submit a mark' },
  [`GET ${R}/my-marks`]: { tag: 'marks', summary: '我的评分 · My marks (the judge’s own)' },
  [`POST ${R}/paper-marks`]: { tag: 'marks', summary: '录入纸质评分 · Enter a paper mark' },
  [`GET ${R}/paper-marks`]: { tag: 'marks', summary: '待确认的纸质评分 · Paper marks awaiting confirmation' },
  [`POST ${R}/paper-marks/{markId}/confirm`]: {
    tag: 'marks',
    summary: '确认纸质评分（第二人） · Confirm a paper mark (second person)',
  },
  [`POST ${R}/corrections`]: { tag: 'marks', summary: '申请更正评分 · Request a correction' },
  [`GET ${R}/corrections`]: { tag: 'marks', summary: '列出更正申请 · List the corrections' },
  [`POST ${R}/corrections/{correctionId}/approve`]: {
    tag: 'marks',
    summary: '批准更正 · Approve a correction',
  },
  [`POST ${R}/corrections/{correctionId}/reject`]: {
    tag: 'marks',
    summary: '驳回更正 · Reject a correction',
  },

  [`GET ${R}/review`]: { tag: 'review', summary: '裁判长审核视图 · The chief judge’s review' },
  [`POST ${R}/remarks`]: { tag: 'review', summary: '要求复评 · Ask for a re-mark' },
  [`POST ${R}/missing-marks`]: {
    tag: 'review',
    summary:
      '按评分标准的规则替代缺失的评分（如取其余裁判的平均分） · Replace a missing mark by the scheme’s rule',
  },
  [`POST ${R}/sign-off`]: { tag: 'review', summary: '签字锁定场次 · Sign the round off' },
  [`POST ${R}/decrypt`]: { tag: 'review', summary: '解密（显示选手姓名） · Decrypt (show the names)' },
  [`POST ${R}/publish`]: { tag: 'review', summary: '公布成绩 · Publish the results' },
  [`POST ${R}/close`]: {
    tag: 'review',
    summary: '关闭评分（平板保留评分，重新开放后提交） · Close marking (tablets hold their marks)',
  },
  [`POST ${R}/open`]: { tag: 'review', summary: '重新开放评分 · Reopen marking' },
  [`POST ${R}/freeze`]: {
    tag: 'review',
    summary: '冻结公众榜单（颁奖） · Freeze the public standings (ceremony)',
  },
  [`POST ${R}/reveal`]: { tag: 'review', summary: '从末位揭晓名次 · Reveal places from the bottom' },
  [`GET ${R}/results`]: { tag: 'review', summary: '场次成绩 · The round’s results' },

  'GET /api/honour-templates': {
    tag: 'honours',
    summary: '内置的荣誉评定模板 · The built-in honour rule templates',
    access: 'public',
  },
  [`GET ${C}/honours/rules`]: {
    tag: 'honours',
    summary: '本竞赛的荣誉评定规则 · The competition’s honour rule set',
    note: '未保存时为本竞赛类别的默认模板。 Until one is stored: the default template of the competition’s class.',
  },
  [`PUT ${C}/honours/rules`]: {
    tag: 'honours',
    summary: '选择或修改荣誉评定规则 · Choose or edit the honour rule set',
    note: '`rules`：模板名称或完整的规则 JSON。 `rules`: a template name or the whole rule set as JSON.',
  },
  [`GET ${C}/honours`]: {
    tag: 'honours',
    summary: '荣誉推荐名单（逐条件说明） · The honour recommendation list, every condition with its figure',
    note:
      '只由已公布并解密的赛项成绩计算。组委会与裁判长随时可看；其他人在组委会公布名单后。 Computed only from ' +
      'published, decrypted results. The organizer and the chief judge always; others once the organizer publishes it.',
  },
  [`POST ${C}/honours/overrides`]: {
    tag: 'honours',
    summary: '调整推荐结果（须说明理由） · Override a recommendation (with a reason)',
  },
  [`POST ${C}/honours/publish`]: {
    tag: 'honours',
    summary: '公布荣誉推荐名单 · Publish the honour recommendation list',
  },

  [`GET ${C}/audit/verify`]: { tag: 'audit', summary: '校验审计链 · Verify the audit chain' },

  [`GET ${C}/exports/results.xlsx`]: exportOf('竞赛成绩册（XLSX） · The competition’s results (XLSX)'),
  [`GET ${C}/exports/results.csv`]: exportOf('竞赛成绩（CSV） · The competition’s results (CSV)'),
  [`GET ${C}/exports/results.pdf`]: exportOf('竞赛成绩公告（PDF，A4） · The competition’s results (PDF, A4)'),
  [`GET ${E}/exports/results.xlsx`]: exportOf('赛项成绩册（XLSX） · The event’s results (XLSX)'),
  [`GET ${E}/exports/results.csv`]: exportOf('赛项成绩（CSV） · The event’s results (CSV)'),
  [`GET ${E}/exports/results.pdf`]: exportOf('赛项成绩公告（PDF，A4） · The event’s results (PDF, A4)'),
  [`GET ${E}/exports/marks.csv`]: exportOf(
    '赛项评分明细（pnpm results 的格式） · The event’s marks (the format `pnpm results` reads)',
  ),
  [`GET ${E}/exports/scheme.json`]: exportOf(
    '赛项评分方案（JSON） · The event’s scheme (JSON, for `pnpm results --scheme`)',
  ),
  [`GET ${C}/exports/honours.xlsx`]: honoursExportOf(
    '荣誉推荐名单（XLSX） · The honour recommendation list (XLSX)',
  ),
  [`GET ${C}/exports/honours.pdf`]: honoursExportOf(
    '荣誉推荐名单（PDF，A4，含签字栏） · The honour recommendation list (PDF, A4, with signature lines)',
  ),

  [`GET ${C}/live`]: {
    tag: 'live',
    summary: '竞赛中可观看的场次（可缓存） · The competition’s rounds one may watch (cacheable)',
    note: '与 `competition:join` 的应答相同，供无法连接推送的页面轮询。 The answer of `competition:join`, for pages that poll.',
  },
  [`GET ${R}/live`]: {
    tag: 'live',
    summary: '场次实况快照（可缓存） · The round’s live snapshot (cacheable)',
    note:
      '已公布或公开评分的场次：任何人；未公布的：裁判长与组委会。 Published or open-scoring rounds: anyone; ' +
      'unpublished ones: the chief judge and the organizer.',
  },
};

/** The OpenAPI key of a Fastify route: `GET /api/x/:id` → `GET /api/x/{id}`. */
export const operationKey = (method: string, url: string) => `${method} ${url.replace(/:(\w+)/g, '{$1}')}`;

export interface OperationDoc {
  tags: Tag[];
  summary: string;
  description: string;
  /** Absent when neither the route nor its entry says (openapi.test.ts fails then). */
  security?: Record<string, string[]>[];
}

const bearer = { bearer: [] };

/**
 * What /docs shows of an operation: its catalogue entry, with the token it needs from the route's
 * allowRoles roles (null: the route has none, and the entry's `access` says). Null when uncatalogued.
 */
export function documentOperation(key: string, allowed: readonly Role[] | null): OperationDoc | null {
  const entry = operations[key];
  if (!entry) return null;
  const lines: string[] = [];
  let security: OperationDoc['security'] | undefined;
  if (allowed) {
    const names = allowed.map((role) => roleNames[role]).join(', ');
    // allowRoles(['public']): anyone, and a staff token sees more.
    security = allowed.includes('public') ? [{}, bearer] : [bearer];
    lines.push(`**角色 Roles**（路径中的竞赛 · in the competition of the path）: ${names}.`);
  } else if (entry.access === 'public') {
    security = [];
    lines.push('**公开 Public**: 无需令牌 · no token needed.');
  } else if (entry.access === 'optional') {
    security = [{}, bearer];
    lines.push('**令牌可选 Token optional**.');
  } else if (entry.access) {
    security = [bearer];
    lines.push(`**令牌 Token**: ${entry.access.token}.`);
  }
  if (entry.note) lines.push(entry.note);
  const doc: OperationDoc = { tags: [entry.tag], summary: entry.summary, description: lines.join('\n\n') };
  return security ? { ...doc, security } : doc;
}
