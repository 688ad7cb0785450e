import type { PanelView } from '@jiangxin/shared';
import { templateInputs } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { visibleText } from './support/browser';
import { browserSuite } from './support/suite';
import { createVenue } from './support/venue';

/**
 * The organizer divides a diving preliminary between two panels taking turns by dive (as the FINA World Cup
 * did: dives 1, 2 and 5 to panel A, dives 3, 4 and 6 to panel B): an existing panel's coverage changed, a new
 * panel for the other dives, and a third refused because it would mark a dive panel A marks.
 */

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;

const suite = browserSuite();

describe('the organizer’s panels by attempt', () => {
  it('changes a panel’s coverage to some dives of a round, adds a panel for the others, and shows a refused overlap', async () => {
    const venue = await createVenue(suite.server, 4, { scheme: templateInputs.diving });
    const C = `/competitions/${venue.competitionId}`;
    const panelsOf = () =>
      venue.api<PanelView[]>(venue.tokens.organizer, 'GET', `${C}/events/${venue.eventId}/panels`);
    const [first] = await panelsOf();
    if (!first) throw new Error('the venue has one panel');

    const page = await suite.page({ width: 1366, height: 900 });
    await page.goto(`${venue.url}/organizer`);
    await page.getByLabel('用户名').fill(venue.accounts.organizer.username);
    await page.getByLabel('密码').fill(venue.accounts.organizer.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '我的竞赛' }).waitFor();
    await page.goto(`${venue.url}/organizer/${venue.competitionId}/panels`);

    // The existing panel: the preliminary, group A组, dives 1, 2 and 5.
    const board = page.getByTestId(`panel-${first.id}`);
    await board.getByRole('button', { name: '更改评分范围' }).click();
    const form = board.getByTestId('coverage-form');
    await form.locator('select[name="editRound"]').selectOption(venue.roundId);
    await form.locator('input[name="editGroup"]').fill('A组');
    for (const dive of [1, 2, 5]) await form.locator(`input[name="editAttempt${dive}"]`).check();
    await form.getByRole('button', { name: '保存评分范围' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await visibleText(board.getByTestId('panel-coverage'))).toContain('评第 1、2、5 次动作');

    // A new panel for dives 3, 4 and 6 of the same round.
    await page.getByLabel('新裁判组名称').fill('乙组');
    await page.locator('select[name="panelRound"]').selectOption(venue.roundId);
    await page.locator('input[name="panelGroup"]').fill('B组');
    for (const dive of [3, 4, 6]) await page.locator(`input[name="panelAttempt${dive}"]`).check();
    await page.getByRole('button', { name: '新建裁判组' }).click();
    await page.getByText('评第 3、4、6 次动作').waitFor();

    const saved = await panelsOf();
    expect(saved.map((p) => [p.name, p.roundId, p.group, p.attempts])).toEqual([
      [first.name, venue.roundId, 'A组', [1, 2, 5]],
      ['乙组', venue.roundId, 'B组', [3, 4, 6]],
    ]);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-panels-attempts.png`, fullPage: true });

    // A third panel for dive 5 would mark what A组 marks: refused, and the refusal names both panels.
    await page.getByLabel('新裁判组名称').fill('丙组');
    await page.locator('input[name="panelAttempt3"]').uncheck();
    await page.locator('input[name="panelAttempt4"]').uncheck();
    await page.locator('input[name="panelAttempt6"]').uncheck();
    await page.locator('input[name="panelAttempt5"]').check();
    await page.getByRole('button', { name: '新建裁判组' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: '丙组' });
    await refusal.waitFor();
    expect(await visibleText(refusal)).toContain(`“丙组”与“${first.name}”`);
    expect(await panelsOf()).toHaveLength(2);
  }, 180_000);
});
