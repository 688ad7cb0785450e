import type { PanelView } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { visibleText } from './support/browser';
import { signInChief } from './support/chief';
import { browserSuite } from './support/suite';
import { createVenue } from './support/venue';

/**
 * Two panels alternating in one round (A组 marks half the field, B组 the other half): the chief judge's grid
 * names, beside each workstation, the panel that marks it.
 */

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;

const suite = browserSuite();

describe('the chief judge sees which panel marks whom', () => {
  it('names each workstation’s panel and group in the grid when a round has two panels', async () => {
    const venue = await createVenue(suite.server, 4);
    const C = `/competitions/${venue.competitionId}`;
    const { organizer } = venue.tokens;
    const [panelA] = await venue.api<PanelView[]>(organizer, 'GET', `${C}/events/${venue.eventId}/panels`);
    const competitors = await venue.api<{ id: string }[]>(
      organizer,
      'GET',
      `${C}/events/${venue.eventId}/competitors`,
    );
    const ids = competitors.map((c) => c.id);
    if (!panelA || ids.length !== 4) throw new Error('the venue has one panel and four competitors');
    await venue.api(organizer, 'PUT', `${C}/panels/${panelA.id}/coverage`, {
      roundId: venue.roundId,
      competitorIds: ids.slice(0, 2),
      group: 'A组',
    });
    const panelB = await venue.api<PanelView>(organizer, 'POST', `${C}/events/${venue.eventId}/panels`, {
      name: '第二裁判组',
      aspects: [],
      roundId: venue.roundId,
      competitorIds: ids.slice(2),
      group: 'B组',
    });
    for (const judge of venue.judges) {
      await venue.api(organizer, 'PUT', `${C}/panels/${panelB.id}/seats/${judge.seat}`, {
        judgeId: judge.id,
      });
    }

    const page = await suite.page({ width: 1280, height: 800 });
    await signInChief(page, venue);
    const tags = await Promise.all(
      venue.workstations.map(async (ws) => {
        const tag = page.getByTestId(`grid-panel-${ws}`);
        await tag.waitFor();
        return visibleText(tag);
      }),
    );
    expect([...tags].sort()).toEqual([
      `由A组 · ${panelA.name}评分`,
      `由A组 · ${panelA.name}评分`,
      '由B组 · 第二裁判组评分',
      '由B组 · 第二裁判组评分',
    ]);
    await page.screenshot({ path: `${SCREENSHOTS}chief-grid-panels.png` });
  }, 180_000);
});
