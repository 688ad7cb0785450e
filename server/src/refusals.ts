import { AppError, type Localized, localized } from './plugins/errors';

/**
 * The refusals more than one module gives, defined once (each module's own stay in its errors file). The
 * message names the problem in zh-CN and en; the status says whether retrying could ever help.
 */

export const roundUnknown = () =>
  new AppError(404, 'round_unknown', {
    'zh-CN': '本竞赛中没有这个场次',
    en: 'there is no such round in this competition',
  });

export const roundSignedOff = () =>
  new AppError(409, 'round_signed_off', {
    'zh-CN': '本场次已由裁判长签字锁定，不能再更改；评分如需更正，请提交更正申请由裁判长批准',
    en: 'the chief judge has signed off this round and it is locked; a change to a mark now needs a correction request approved by the chief judge',
  });

/** Marking is closed for now: a tablet holds the mark and sends it again once the round reopens. */
export const roundClosed = () =>
  new AppError(409, 'round_closed', {
    'zh-CN': '本场次评分已暂停，评分保留在平板上，重新开放后自动提交',
    en: 'marking is closed for this round; the mark stays on the tablet and is sent once marking reopens',
  });

export function notFound(
  what: 'competition' | 'event' | 'round' | 'competitor' | 'judge' | 'panel' | 'teamMember',
  id: string,
) {
  const names: Record<typeof what, Localized> = {
    competition: localized('竞赛', 'competition'),
    event: localized('赛项', 'event'),
    round: localized('场次', 'round'),
    competitor: localized('选手', 'competitor'),
    judge: localized('裁判', 'judge'),
    panel: localized('裁判组', 'panel'),
    teamMember: localized('团队成员', 'team member'),
  };
  return new AppError(
    404,
    `${what}_not_found`,
    localized(
      `本竞赛中没有此${names[what]['zh-CN']}（${id}）`,
      `there is no ${names[what].en} ${id} in this competition`,
    ),
  );
}

const published = {
  round: localized('本场次成绩尚未公布', 'the results of this round are not published yet'),
  event: localized(
    '本赛项成绩尚未全部公布；公布前只有裁判长和组委会可以导出（草稿）',
    'the results of this event are not all published yet; until then only the chief judge and the organizer may export them (as a draft)',
  ),
  competition: localized(
    '本竞赛还没有公布成绩的赛项；公布前只有裁判长和组委会可以导出（草稿）',
    'no event of this competition has published results yet; until then only the chief judge and the organizer may export them (as a draft)',
  ),
};

/** Results asked for before publication by someone other than the chief judge or the organizer. */
export const resultsNotPublished = (what: keyof typeof published = 'round') =>
  new AppError(403, 'results_not_published', published[what]);

/** A frozen round's results stay hidden from the public until the ceremony has revealed them (no export leaks). */
export const roundFrozen = () =>
  new AppError(403, 'round_frozen', {
    'zh-CN': '本场次成绩已冻结，颁奖揭晓后公布',
    en: 'the results of this round are frozen until the ceremony reveals them',
  });
