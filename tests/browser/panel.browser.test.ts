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
      await page.getByTestId('story-card').first().waitFor();
      await page.screenshot({ path: screenshotPath(`panel-${theme}.png`) });
      // The rollback is the oldest story, below the fold of a long list: find it as a person would.
      await page.getByLabel('Search changes').fill('frontend-app');
      const rollback = page
        .getByTestId('story-card')
        .filter({ hasText: 'deleted deployments production/frontend-app' });
      await rollback.waitFor();
      expect(await rollback.textContent()).toContain('started by dana@example.org');

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
      await page.getByLabel('Search changes').fill('');

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

  it.each(['light', 'dark'] as const)(
    'the details say what a sync changed: the image before → after, the commit (%s theme)',
    async (theme) => {
      const { page, errors } = await open(`theme=${theme}&scenario=image-change-and-auto-sync-off`);
      const sync = page.getByTestId('story-card').filter({ hasText: 'patched deployments invoices/invoices-api' });
      await sync.waitFor();
      await sync.click();
      await sync.click();
      const diff = page.getByTestId('change-diff');
      await diff.waitFor();
      expect(await diff.getByTestId('change-entry').allTextContents()).toEqual([
        'spec.template.spec.containers[0].image: "registry.example.org/invoices/api:2.3.1" → "registry.example.org/invoices/api:2.4.0"',
      ]);
      expect(await diff.getByRole('link', { name: 'Commit' }).getAttribute('href')).toBe(
        'https://github.com/acme/invoices-deploy/commit/b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4'
      );
      // The request as sent, unfolded, so the screenshot shows the patch too.
      await diff.getByTestId('change-patch').locator('summary').click();
      await diff.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => {
        const r = document.querySelector('[data-testid="chain-details"]')?.getBoundingClientRect();
        return r !== undefined && r.left >= 0 && r.right <= window.innerWidth;
      });
      await page.screenshot({ path: screenshotPath(`panel-diff-${theme}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
  );

  it('works from the keyboard: a listbox that names the selected change, a visible focus ring, timeline marks and zoom', async () => {
    const { page, errors } = await open('theme=dark');
    const list = page.getByRole('listbox', { name: 'Changes' });
    await list.focus();
    await page.keyboard.press('ArrowDown');
    const active = async () =>
      page.evaluate(() => {
        const l = document.querySelector('[role="listbox"]') as HTMLElement;
        const card = document.getElementById(l.getAttribute('aria-activedescendant') ?? '');
        return {
          focused: document.activeElement === l,
          ring: getComputedStyle(l).boxShadow,
          selected: card?.getAttribute('aria-selected'),
          index: card?.getAttribute('data-index'),
          text: card?.textContent ?? '',
        };
      });
    // The list is virtualised: the card a key moves to is drawn in a later frame, so wait for it to exist.
    const settled = async () => {
      await page.waitForFunction(() => {
        const l = document.querySelector('[role="listbox"]') as HTMLElement;
        return document.getElementById(l.getAttribute('aria-activedescendant') ?? '') !== null;
      });
      return active();
    };
    let a = await settled();
    expect(a).toMatchObject({ focused: true, selected: 'true', index: '0' });
    // The theme's focus ring (a two-ring box shadow), not the faint z2 shadow.
    expect(a.ring).toMatch(/rgb.*0px 0px 0px 4px/);
    await page.keyboard.press('End');
    a = await settled();
    expect(a.index).toBe('17');
    expect(a.text).toContain('updated rolebindings argocd/argocd-admin');
    await page.keyboard.press('Home');
    expect((await settled()).index).toBe('0');
    await page.keyboard.press('PageDown');
    expect(Number((await settled()).index)).toBeGreaterThan(1);

    // The timeline's marks are one tab stop (a roving tabindex): the arrows move between them.
    const mark = page.locator('[data-testid="timeline-dot"][tabindex="0"]');
    await mark.focus();
    await page.keyboard.press('ArrowRight');
    const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(label).toMatch(/^(GitOps sync|Rollback|Manual drift|Manual|Controller|Unknown): .* by .* at \d\d:\d\d:\d\d/);
    // A Grafana tooltip says the same words.
    await page
      .getByRole('tooltip')
      .filter({ hasText: label ?? '' })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[role="option"][aria-selected="true"]').first().waitFor();
    expect(await page.locator('[role="option"][aria-selected="true"]').count()).toBe(1);
    const before = await page.evaluate(() => (window as unknown as { lastTimeRange?: unknown }).lastTimeRange);
    expect(before).toBeUndefined();
    await page.keyboard.press('+');
    const [initial, zoomed] = await page.evaluate(() => {
      const w = window as unknown as Record<'initialRange' | 'lastTimeRange', { from: number; to: number }>;
      return [w.initialRange, w.lastTimeRange];
    });
    // + halves the range, around the focused mark.
    expect(zoomed.to - zoomed.from).toBe(Math.round((initial.to - initial.from) / 2));
    expect(errors).toEqual([]);
    await page.close();
  });

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
