import type { ReviewResponse, SchemeInput } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { visibleText } from './support/browser';
import { gridCell, openReview, signInChief } from './support/chief';
import { browserSuite } from './support/suite';
import { createVenue } from './support/venue';

/**
 * The chief judge's console on a round of its own size (the scheme's component has six dives, this round
 * two) and a judge whose tablet died: the grid shows the round's own attempts, and the review's 裁判缺席
 * form replaces the seat by the others' average, with a reason and a confirmation, shown in the grid.
 */

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const SEATS = ['J1', 'J2', 'J3', 'J4', 'J5'];

const DIVES: SchemeInput = {
  id: 'e2e-dives-by-round',
  name: '跳水（本轮两跳）',
  nameEn: 'Diving (two dives this round)',
  precision: 2,
  missingMark: 'averageOfOthers',
  components: [
    {
      id: 'dives',
      name: '跳水',
      nameEn: 'Dives',
      attempts: { label: 'dive', count: 6 },
      aspects: [
        {
          kind: 'judgement',
          id: 'execution',
          name: '完成质量',
          nameEn: 'Execution',
          panel: 5,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
        },
      ],
    },
  ],
  rounds: [{ id: 'Final', name: '决赛', attempts: { dives: 2 } }],
};

const suite = browserSuite();

describe('a round of its own size, and a missing judge', () => {
  it('shows the round’s two dives, and replaces a dead tablet’s seat by the others’ average', async () => {
    const venue = await createVenue(suite.server, 3, { scheme: DIVES });
    const tokens = Object.fromEntries(
      await Promise.all(SEATS.map(async (s) => [s, await venue.judgeToken(s)])),
    );
    const [a01] = venue.workstations as [string];
    // J5's tablet dies after the first competitor's first dive: J1–J4 mark dive-1.
    for (const [seat, value] of [
      ['J1', '8'],
      ['J2', '8.5'],
      ['J3', '7'],
      ['J4', '9'],
    ] as const)
      await venue.mark(tokens[seat] ?? '', a01, 'dive-1', value);

    const page = await suite.page({ width: 1280, height: 800 });
    await signInChief(page, venue);
    // The round's own count: dive-1 and dive-2 only, though the component has six.
    const headers = await page.locator('.marks-grid .item-head').allTextContents();
    expect(headers).toHaveLength(2);
    expect(await gridCell(page, a01, 'dive-2', 'J1').count()).toBe(1);
    expect(await gridCell(page, a01, 'dive-3', 'J1').count()).toBe(0);
    expect(await gridCell(page, a01, 'dive-1', 'J5').getAttribute('class')).toContain('missing');

    // 裁判缺席: a reason, then a confirmation naming the seat.
    await openReview(page);
    const form = page.getByTestId('missing-judge');
    await form.getByLabel('工位').selectOption(a01);
    await form.getByLabel('评分项').selectOption('dive-1');
    await form.getByLabel('缺席的裁判席位').selectOption('J5');
    const submit = form.getByRole('button', { name: '裁判缺席，按其余裁判平均分计…' });
    expect(await submit.isDisabled()).toBe(true);
    await form.getByLabel('原因').fill('J5 平板电池故障，无法恢复');
    await submit.click();
    expect(await visibleText(form.getByRole('alert'))).toContain(`${a01}`);
    await form.getByRole('button', { name: '确认按平均分计' }).click();
    await form.getByRole('status').filter({ hasText: '已按其余裁判平均分计' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}chief-missing-judge.png` });

    const R = `/competitions/${venue.competitionId}/rounds/${venue.roundId}`;
    const review = await venue.api<ReviewResponse>(venue.tokens.chiefJudge, 'GET', `${R}/review`);
    const line = review.event.standings.find((s) => s.competitor === a01);
    const dive1 = line?.components[0]?.attempts?.find((a) => a.attempt === 1)?.aspects[0];
    expect(dive1?.flags).toEqual([{ code: 'markReplaced', judge: 'J5', value: '8.125' }]);

    // The grid shows the seat replaced, with the average (to the hundredth), no longer missing.
    await page.getByRole('link', { name: /^评分网格/ }).click();
    const j5 = gridCell(page, a01, 'dive-1', 'J5');
    await page.waitForFunction(
      (el) => el?.classList.contains('replaced') ?? false,
      await j5.elementHandle(),
      { timeout: 10_000 },
    );
    expect(await visibleText(j5)).toBe('≈8.13');
    expect(await j5.getAttribute('class')).not.toContain('missing');
    expect(await j5.getAttribute('title')).toContain('裁判缺席，按其余裁判平均分 8.125 计');
    await page.screenshot({ path: `${SCREENSHOTS}chief-grid-replaced.png` });
  }, 180_000);
});
