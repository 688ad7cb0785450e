/**
 * What /docs says of each operation: its group and a one-line summary in zh-CN and English. Roles and the
 * token come from the route itself (allowRoles), never from here. server/src/plugins/openapi.test.ts fails
 * when a route has no entry or an entry names no route, so a new route is described when it is added.
 */

export interface Tag {
  name: string;
  description: string;
}

export const tags = {
  health: { name: 'health', description: '健康检查 · Health' },
  tools: {
    name: 'tools',
    description: '模板与成绩复核（无需登录）· Scheme templates and results verification (no sign-in)',
  },
  auth: { name: 'auth', description: '登录、令牌与设备 · Sign-in, tokens and devices' },
  setup: {
    name: 'setup',
    description:
      '竞赛设置：赛项、选手、裁判、裁判组、抽签 · Setup: events, competitors, judges, panels, draw',
  },
  marks: { name: 'marks', description: '评分、审核、签字与公布 · Marks, review, sign-off and publication' },
  live: {
    name: 'live',
    description: '实况（可缓存的快照，供轮询）· Live snapshots (cacheable, for polling)',
  },
} as const satisfies Record<string, Tag>;

type TagName = keyof typeof tags;

const C = '/api/competitions/{competitionId}';
const R = `${C}/rounds/{roundId}`;

/**
 * Who may call a route that no allowRoles guards (the route or its service checks the token itself):
 * anyone, or the token it names.
 */
export type Access = 'anyone' | { token: string };

/** `METHOD /path` (OpenAPI path syntax) → [group, 中文摘要, English summary, access without allowRoles]. */
export const operations: Record<string, [TagName, string, string, Access?]> = {
  'GET /api/health': ['health', '服务是否可用', 'Is the service up', 'anyone'],
  'GET /api/templates': ['tools', '评分方案模板列表', 'List the scheme templates', 'anyone'],
  'GET /api/templates/{name}': ['tools', '一个评分方案模板', 'One scheme template', 'anyone'],
  'GET /api/demo/results': [
    'tools',
    '演示决赛的成绩（由评分重算）',
    'The demo final’s results, recomputed from its marks',
    'anyone',
  ],
  'GET /api/demo/marks.csv': ['tools', '演示决赛的评分文件', 'The demo final’s marks file', 'anyone'],
  'POST /api/results': ['tools', '由评分文件重算成绩', 'Recompute results from a marks file', 'anyone'],
  'POST /api/auth/login': ['auth', '账号登录', 'Sign in with an account', 'anyone'],
  'GET /api/auth/me': ['auth', '当前身份', 'Who am I', 'anyone'],
  'POST /api/auth/refresh': [
    'auth',
    '续期令牌',
    'Renew the token',
    { token: 'any token, account or device' },
  ],
  'POST /api/devices/pair': ['auth', '以配对码配对设备', 'Pair a device with its code', 'anyone'],
  'POST /api/devices/judge-resume': [
    'auth',
    '令牌过期后以 PIN 恢复裁判登录',
    'Resume a judge’s sign-in with the PIN after the token lapsed',
    'anyone',
  ],
  'GET /api/devices/judges': [
    'auth',
    '平板可登录的裁判',
    'Judges who may sign in on this tablet',
    { token: 'a paired judge tablet' },
  ],
  'POST /api/devices/judge-sign-in': [
    'auth',
    '裁判在平板上以 PIN 登录',
    'A judge signs in on the tablet with the PIN',
    { token: 'a paired judge tablet' },
  ],
  'POST /api/devices/judge-sign-out': [
    'auth',
    '裁判退出平板',
    'A judge signs out of the tablet',
    { token: 'a judge signed in on a tablet' },
  ],
  'GET /api/competitions': [
    'setup',
    '我参与的竞赛',
    'My competitions',
    { token: 'any token: each caller lists its own competitions' },
  ],
  'POST /api/competitions': [
    'setup',
    '创建竞赛',
    'Create a competition',
    { token: 'an organizer account of the union' },
  ],
  [`GET ${C}`]: ['setup', '竞赛信息', 'A competition'],
  [`GET ${C}/members`]: ['auth', '竞赛成员与角色', 'Members and their roles'],
  [`POST ${C}/members`]: ['auth', '授予账号角色', 'Give an account a role'],
  [`GET ${C}/devices`]: ['auth', '设备列表', 'Devices'],
  [`POST ${C}/devices`]: ['auth', '登记设备（平板、大屏）', 'Register a device (tablet, screen)'],
  [`POST ${C}/devices/{deviceId}/pairing-code`]: ['auth', '生成新的配对码', 'Issue a new pairing code'],
  [`POST ${C}/devices/{deviceId}/revoke`]: ['auth', '吊销设备', 'Revoke a device'],
  [`POST ${C}/judges/{judgeId}/pin`]: ['auth', '设置裁判 PIN', 'Set a judge’s PIN'],
  [`POST ${C}/events`]: ['setup', '创建赛项（由评分方案）', 'Create an event from a scheme'],
  [`GET ${C}/events`]: ['setup', '赛项列表', 'Events'],
  [`GET ${C}/events/{eventId}`]: ['setup', '一个赛项及其场次', 'An event and its rounds'],
  [`POST ${C}/events/{eventId}/competitors`]: ['setup', '报名一名选手', 'Register a competitor'],
  [`GET ${C}/events/{eventId}/competitors`]: ['setup', '赛项的选手', 'The event’s competitors'],
  [`POST ${C}/events/{eventId}/competitors/import`]: [
    'setup',
    '导入选手（CSV / XLSX）',
    'Import competitors (CSV / XLSX)',
  ],
  [`GET ${C}/competitors/{competitorId}`]: ['setup', '一名选手', 'A competitor'],
  [`PATCH ${C}/competitors/{competitorId}`]: ['setup', '修改选手信息', 'Change a competitor'],
  [`POST ${C}/judges`]: ['setup', '登记一名裁判', 'Register a judge'],
  [`GET ${C}/judges`]: ['setup', '裁判列表', 'Judges'],
  [`POST ${C}/judges/import`]: ['setup', '导入裁判（CSV / XLSX）', 'Import judges (CSV / XLSX)'],
  [`PUT ${R}/competitors/{competitorId}/attempts`]: [
    'setup',
    '申报动作及难度',
    'Declare the attempts and their difficulty',
  ],
  [`GET ${R}/competitors/{competitorId}/attempts`]: ['setup', '已申报的动作', 'The declared attempts'],
  [`POST ${C}/events/{eventId}/panels`]: ['setup', '创建裁判组', 'Create a panel'],
  [`GET ${C}/events/{eventId}/panels`]: ['setup', '赛项的裁判组', 'The event’s panels'],
  [`GET ${C}/panels/{panelId}`]: ['setup', '一个裁判组及其席位', 'A panel and its seats'],
  [`PUT ${C}/panels/{panelId}/seats/{seat}`]: [
    'setup',
    '安排裁判就席（回避自动处理）',
    'Seat a judge (recusal applied)',
  ],
  [`DELETE ${C}/panels/{panelId}/seats/{seat}`]: ['setup', '撤下席位上的裁判', 'Clear a seat'],
  [`POST ${C}/events/{eventId}/draw`]: ['setup', '抽签（参赛号）', 'Draw the entry numbers'],
  [`POST ${R}/check-in`]: ['setup', '检录并抽取工位号', 'Check a competitor in and draw the workstation'],
  [`GET ${R}/mapping`]: [
    'setup',
    '加密对照表（工位号 ↔ 选手）',
    'The encryption mapping (workstation ↔ competitor)',
  ],
  [`GET ${R}/workstations`]: ['setup', '场次的工位号', 'The round’s workstation codes'],
  [`POST ${R}/marks`]: ['marks', '提交评分（裁判平板）', 'Submit a mark (judge’s tablet)'],
  [`GET ${R}/my-marks`]: ['marks', '我的评分与更正', 'My marks and their corrections'],
  [`POST ${R}/paper-marks`]: ['marks', '录入纸质评分', 'Enter a mark from a paper sheet'],
  [`GET ${R}/paper-marks`]: ['marks', '待核对的纸质评分', 'Paper marks awaiting confirmation'],
  [`POST ${R}/paper-marks/{markId}/confirm`]: ['marks', '核对确认纸质评分', 'Confirm a paper mark'],
  [`POST ${R}/corrections`]: ['marks', '申请更正评分（签字后）', 'Ask for a correction (after sign-off)'],
  [`GET ${R}/corrections`]: ['marks', '更正申请列表', 'Correction requests'],
  [`POST ${R}/corrections/{correctionId}/approve`]: ['marks', '批准更正', 'Approve a correction'],
  [`POST ${R}/corrections/{correctionId}/reject`]: ['marks', '驳回更正', 'Reject a correction'],
  [`GET ${R}/review`]: [
    'marks',
    '裁判长审核：名次、缺评、超差',
    'Chief judge’s review: standings, missing marks, flags',
  ],
  [`POST ${R}/remarks`]: ['marks', '指令重评', 'Order a re-mark'],
  [`POST ${R}/sign-off`]: ['marks', '裁判长签字锁定', 'Sign the round off'],
  [`POST ${R}/decrypt`]: ['marks', '解密（工位号 → 姓名）', 'Decrypt (workstation → name)'],
  [`POST ${R}/publish`]: ['marks', '公布成绩', 'Publish the results'],
  [`POST ${R}/freeze`]: ['marks', '冻结公开名次（颁奖揭晓）', 'Freeze the public standings (ceremony)'],
  [`POST ${R}/reveal`]: ['marks', '由后往前揭晓名次', 'Reveal the next place from the bottom'],
  [`GET ${R}/results`]: [
    'marks',
    '场次成绩（每个评分，采用与去掉）',
    'Round results (every mark, used and dropped)',
  ],
  [`GET ${C}/audit/verify`]: ['marks', '校验审计链', 'Verify the audit chain'],
  [`GET ${C}/live`]: [
    'live',
    '可观看的场次列表（实时连接不可用时轮询；ETag）',
    'The rounds the caller may watch (polled when the socket cannot connect; ETag)',
  ],
  [`GET ${R}/live`]: ['live', '场次实况快照（可缓存）', 'The round’s live snapshot (cacheable)'],
};
