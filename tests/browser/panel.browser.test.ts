import { openHarnessPage, screenshotPath, startHarness, type Harness } from './browser';

// Building the harness and starting chromium is slow on a loaded 2-core machine.
jest.setTimeout(180_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.close());

async function open(query: string) {
  const opened = await openHarnessPage(harness, `panel.html?${query}`, { width: 1240, height: 840 });
  await opened.page.getByTestId('provenance-panel').waitFor();
  return opened;
}

describe('the provenance panel in a real browser', () => {
  it.each(['dark', 'light'] as const)(
    'tells the stories, opens a chain, filters, zooms by brushing (%s theme)',
    async (theme) => {
      const { page, errors } = await open(`theme=${theme}`);
      const rollback = page
        .getByTestId('story-card')
        .filter({ hasText: 'deleted deployments production/frontend-app' });
      await rollback.waitFor();
      expect(await rollback.textContent()).toContain('started by dana@example.org');
      await page.screenshot({ path: screenshotPath(`panel-${theme}.png`) });

      // Click once to select, again to open the details.
      await rollback.click();
      await rollback.click();
      const details = page.getByTestId('chain-details');
      await details.waitFor();
      expect(await details.getByTestId('chain-link').count()).toBe(3);
      expect(await details.textContent()).toContain('rollback to history id 3 of frontend-app');
      // The records behind it: the deletion, Argo CD's rollback, the failed sync and the RBAC change before it.
      expect(await details.getByTestId('chain-record').count()).toBe(6);
      expect(await details.getByRole('link', { name: 'its raw line in Explore' }).count()).toBe(6);
      // The drawer slides in: wait until it is wholly on screen before the screenshot.
      await page.waitForFunction(() => {
        const r = document.querySelector('[data-testid="chain-details"]')?.getBoundingClientRect();
        return r !== undefined && r.left >= 0 && r.right <= window.innerWidth;
      });
      await page.screenshot({ path: screenshotPath(`panel-details-${theme}.png`) });
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });

      await page.getByLabel('Search changes').fill('lee@example.org');
      expect(await page.getByTestId('story-card').count()).toBe(2);
      await page.getByLabel('Search changes').fill('');

      const box = await page.getByTestId('timeline').boundingBox();
      if (!box) {
        throw new Error('no timeline');
      }
      await page.mouse.move(box.x + 300, box.y + 10);
      await page.mouse.down();
      await page.mouse.move(box.x + 600, box.y + 10, { steps: 5 });
      await page.mouse.up();
      const range = await page.evaluate(
        () => (window as unknown as { lastTimeRange?: { from: number; to: number } }).lastTimeRange
      );
      expect(range && range.from < range.to).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    }
  );

  it('renders hostile content as inert text', async () => {
    const { page, errors } = await open('hostile=1');
    await page.getByLabel('Search changes').fill('מרחב-שמות');
    const card = page.getByTestId('story-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('<script>window.__pwned=2</script>');
    expect(
      await page.locator('[data-testid="provenance-panel"] img, [data-testid="provenance-panel"] script').count()
    ).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: screenshotPath('panel-hostile.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
