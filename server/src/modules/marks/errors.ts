import { type Aspect, Decimal, markDomain } from '@jiangxin/shared';
import { AppError } from '../../plugins/errors';

/**
 * The refusals of the marks module. Each names the field and the problem in zh-CN and en; the status says
 * whether retrying could ever help (4xx: never; see shared/src/api/marks.ts).
 */

export const workstationUnknown = (code: string) =>
  new AppError(
    404,
    'workstation_unknown',
    {
      'zh-CN': `字段 workstation：本场次没有工位 ${code}`,
      en: `field "workstation": there is no workstation ${code} in this round`,
    },
    { field: 'workstation' },
  );

export const itemUnknown = (item: string, known: string) =>
  new AppError(
    400,
    'item_unknown',
    {
      'zh-CN': `字段 item：评分标准中没有评分项“${item}”；可用的评分项有：${known}`,
      en: `field "item": the scheme has no item "${item}"; known items: ${known}`,
    },
    { field: 'item' },
  );

export const notYourPanel = (item: string) =>
  new AppError(
    403,
    'not_your_panel',
    {
      'zh-CN': `字段 item：您不在本场次为该工位评分项“${item}”的裁判组中，不能为其评分`,
      en: `field "item": you hold no seat on a panel that marks "${item}" of this workstation in this round`,
    },
    { field: 'item' },
  );

export const recused = (code: string, seat?: string) =>
  new AppError(
    403,
    'recused',
    seat === undefined
      ? {
          'zh-CN': `字段 workstation：您须回避工位 ${code} 的选手，不能为其评分`,
          en: `field "workstation": you are recused from marking the competitor at ${code}`,
        }
      : {
          'zh-CN': `字段 seat：${seat} 席位的裁判须回避工位 ${code} 的选手，且未指定替补裁判`,
          en: `field "seat": the judge in seat ${seat} is recused from ${code} and no substitute is assigned`,
        },
    { field: seat === undefined ? 'workstation' : 'seat' },
  );

export const seatUnknown = (seat: string, item: string, seats: string[]) =>
  new AppError(
    404,
    'seat_unknown',
    {
      'zh-CN': `字段 seat：负责评分项“${item}”的裁判组没有席位 ${seat}${seats.length ? `（现有席位：${seats.join('、')}）` : '（尚无裁判组负责此项）'}`,
      en: `field "seat": no panel marking "${item}" has a seat ${seat}${seats.length ? ` (seats: ${seats.join(', ')})` : ' (no panel marks it yet)'}`,
    },
    { field: 'seat' },
  );

export const notYourSeat = (seat: string, own: string) =>
  new AppError(
    403,
    'not_your_seat',
    {
      'zh-CN': `字段 seat：您为此选手此评分项评分的席位是 ${own}，只能为本人席位申请更正，不能为 ${seat} 席位申请`,
      en: `field "seat": you mark this item of this competitor in seat ${own}; a judge asks for corrections of their own seat only, not ${seat}`,
    },
    { field: 'seat' },
  );

/** The range and step a value broke, in both languages. */
export function valueInvalid(aspect: Aspect, value: string) {
  const { min, max, step } = markDomain(aspect);
  const v = Decimal.of(value);
  const name = { 'zh-CN': aspect.name, en: aspect.nameEn ?? aspect.name };
  let zh: string;
  let en: string;
  if (min && v.lt(min)) {
    zh = `不得低于 ${min.toString()}`;
    en = `must be at least ${min.toString()}`;
  } else if (max && v.gt(max)) {
    zh = `不得高于 ${max.toString()}`;
    en = `must be at most ${max.toString()}`;
  } else {
    const from = min && !min.isZero() ? min.toString() : null;
    zh = `须以 ${step?.toString() ?? '?'} 为步长${from ? `（从 ${from} 起）` : ''}`;
    en = `must be in steps of ${step?.toString() ?? '?'}${from ? ` from ${from}` : ''}`;
  }
  const range = [min?.toString() ?? '', max?.toString() ?? ''];
  return new AppError(
    400,
    'value_invalid',
    {
      'zh-CN': `字段 value：${name['zh-CN']}的分数 ${value} ${zh}（范围 ${range.join('–')}${step ? `，步长 ${step.toString()}` : ''}）`,
      en: `field "value": ${value} for ${name.en} ${en} (range ${range.join('–')}${step ? `, step ${step.toString()}` : ''})`,
    },
    {
      field: 'value',
      min: min?.toString() ?? null,
      max: max?.toString() ?? null,
      step: step?.toString() ?? null,
    },
  );
}

export const markIdConflict = () =>
  new AppError(
    409,
    'mark_id_conflict',
    {
      'zh-CN': '字段 id：此编号已用于另一条不同的评分，未作任何更改（请勿重试；修改评分须使用新的编号）',
      en: 'field "id": this id was already used for a different mark; nothing was changed (do not retry: a changed mark needs a new id)',
    },
    { field: 'id' },
  );

export const roundNotSignedOff = (what: Record<'zh-CN' | 'en', string>) =>
  new AppError(409, 'round_not_signed_off', {
    'zh-CN': `本场次尚未签字锁定：${what['zh-CN']}`,
    en: `this round is not signed off yet: ${what.en}`,
  });

export const alreadyDone = (code: string, what: Record<'zh-CN' | 'en', string>) =>
  new AppError(409, code, what);

export const samePerson = () =>
  new AppError(403, 'same_person', {
    'zh-CN': '纸质评分须由录入人以外的另一人（另一名记分员或裁判长）核对确认',
    en: 'a paper mark must be confirmed by a second person (another scorekeeper or the chief judge), not the one who entered it',
  });

export const paperValueMismatch = (entered: string, read: string) =>
  new AppError(
    409,
    'paper_value_mismatch',
    {
      'zh-CN': `字段 value：核对的分数 ${read} 与录入的 ${entered} 不一致，未确认；请对照评分表更正后重新录入`,
      en: `field "value": the value read again (${read}) differs from the one entered (${entered}); not confirmed — check the sheet and enter it again`,
    },
    { field: 'value' },
  );

export const markUnknown = () =>
  new AppError(404, 'mark_unknown', {
    'zh-CN': '本场次没有这条纸质评分',
    en: 'there is no such paper mark in this round',
  });

export const missingMarkNoRule = () =>
  new AppError(409, 'missing_mark_no_rule', {
    'zh-CN': '本赛项的评分标准没有缺失评分的处理规则（missingMark），不能替代缺失的评分',
    en: 'this event’s scheme has no rule for a missing mark (missingMark): a missing mark cannot be replaced',
  });

export const missingMarkNotJudged = (item: string) =>
  new AppError(
    400,
    'missing_mark_not_judged',
    {
      'zh-CN': `字段 item：“${item}”不是裁判评分项，缺失评分规则只适用于裁判评分项`,
      en: `field "item": "${item}" is not judged by a panel; the missing-mark rule applies to judged items only`,
    },
    { field: 'item' },
  );

export const seatHasMark = (seat: string) =>
  new AppError(
    409,
    'seat_has_mark',
    {
      'zh-CN': `字段 seat：席位 ${seat} 已有评分，无需替代`,
      en: `field "seat": seat ${seat} has a mark; there is nothing to replace`,
    },
    { field: 'seat' },
  );

export const missingMarkReplaced = (seat: string) =>
  new AppError(
    409,
    'missing_mark_replaced',
    {
      'zh-CN': `字段 seat：席位 ${seat} 的缺失评分已经替代`,
      en: `field "seat": the missing mark of seat ${seat} is already replaced`,
    },
    { field: 'seat' },
  );

export const correctionUnknown = () =>
  new AppError(404, 'correction_unknown', {
    'zh-CN': '本场次没有这条更正申请',
    en: 'there is no such correction request in this round',
  });

export const correctionDecided = (status: string) =>
  new AppError(409, 'correction_decided', {
    'zh-CN': `此更正申请已处理（${status === 'approved' ? '已批准' : '已驳回'}）`,
    en: `this correction request was already ${status}`,
  });
