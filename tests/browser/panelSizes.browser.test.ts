import type { Page } from 'playwright-core';

import { openHarnessPage, screenshotPath, startHarness, type Harness } from './browser';

jest.setTimeout(120_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.close());

/** Dashboard tiles: a full row, a third of a row, a small tile, a tall narrow column. */
const SIZES = [
  [1600, 900],
  [520, 400],
  [380, 260],
  [400, 900],
] as const;
const THEMES = ['dark', 'light'] as const;

/** The tile sits on a desktop-sized page, as in a dashboard; Grafana's own buttons size by the viewport. */
async function openTile(theme: string, w: number, h: number, extra = '') {
  const opened = await openHarnessPage(harness, `panel.html?theme=${theme}&w=${w}&h=${h}${extra}`, {
    width: 1616,
    height: 916,
  });
  await opened.page.getByTestId('story-card').first().waitFor();
  return opened;
}

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** What the DOM says about the tile's boxes (source string: tsx would wrap a function in helpers the page lacks). */
async function boxesOf(page: Page) {
  return (await page.evaluate(`(() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
    const panel = document.querySelector('[data-testid="provenance-panel"]');
    const list = document.querySelector('[data-testid="story-list"]');
    const chrome = document.querySelector('[data-testid="tile"] > *');
    const outside = [];
    for (const el of panel.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const inList = list && list.contains(el) && el !== list;
      const p = box(inList ? list : panel);
      const b = box(el);
      // In the list, cards below the fold are scrolled away, not overflowing: only the sides count there.
      const out = b.left < p.left - 1 || b.right > p.right + 1 || (!inList && (b.top < p.top - 1 || b.bottom > p.bottom + 1));
      // A box whose content spills over it without clipping (text past its edge).
      const style = getComputedStyle(el);
      const spills = el instanceof HTMLElement && style.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1;
      if (out || spills) outside.push((el.getAttribute('data-testid') || el.tagName) + ' ' + JSON.stringify(b) + (spills ? ' spills' : ''));
    }
    const cards = [...document.querySelectorAll('[data-testid="story-card"]')].slice(0, 2).map(box);
    return { chrome: box(chrome), panel: box(panel), list: list && box(list), cards, outside,
      pageScrolls: document.documentElement.scrollWidth > window.innerWidth };
  })()`)) as { chrome: Box; panel: Box; list: Box | null; cards: Box[]; outside: string[]; pageScrolls: boolean };
}

const inside = (inner: Box, outer: Box) =>
  inner.top >= outer.top - 1 &&
  inner.bottom <= outer.bottom + 1 &&
  inner.left >= outer.left - 1 &&
  inner.right <= outer.right + 1;

describe('the panel at dashboard sizes, inside PanelChrome', () => {
  for (const theme of THEMES) {
    for (const [w, h] of SIZES) {
      it(`${w}×${h} ${theme}: at least two whole story cards, nothing overflows`, async () => {
        const { page, errors } = await openTile(theme, w, h);
        const b = await boxesOf(page);
        expect(inside(b.panel, b.chrome)).toBe(true);
        expect(b.list).not.toBeNull();
        expect(inside(b.list as Box, b.panel)).toBe(true);
        expect(b.cards).toHaveLength(2);
        for (const card of b.cards) {
          expect(inside(card, b.list as Box)).toBe(true);
        }
        expect(b.outside).toEqual([]);
        expect(b.pageScrolls).toBe(false);
        // The tile on its dashboard canvas, at least 816×416 so that a small tile makes a readable README image.
        await page.screenshot({
          path: screenshotPath(`panel-${w}x${h}-${theme}.png`),
          clip: { x: 0, y: 0, width: Math.max(816, w + 16), height: Math.max(416, h + 16) },
        });
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  it('on a small tile the verdict menu filters, and the timeline comes back behind its toggle', async () => {
    const { page, errors } = await openTile('dark', 380, 260);
    expect(await page.getByTestId('timeline').count()).toBe(0);
    // A cut object name ends in an ellipsis and says the whole of it in a Grafana tooltip.
    const name = page.getByTestId('story-card').getByText('patched deployments orders-staging/orders');
    expect(
      await name.evaluate((el) => ({
        cut: el.scrollWidth > el.clientWidth,
        ellipsis: getComputedStyle(el).textOverflow,
      }))
    ).toEqual({ cut: true, ellipsis: 'ellipsis' });
    await name.hover();
    await page.getByRole('tooltip', { name: 'patched deployments orders-staging/orders' }).waitFor();
    await page.mouse.move(0, 0);
    await page.getByRole('button', { name: 'Verdicts' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Manual drift' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('story-card').first().waitFor();
    // Two scenarios drift by hand (ravi in the Argo CD UI, lee by kubectl).
    expect(await page.getByTestId('story-card').count()).toBe(2);
    expect(await page.getByTestId('panel-count').textContent()).toBe('2 of 18');
    await page.getByRole('button', { name: 'Show the timeline' }).click();
    await page.getByTestId('timeline').waitFor();
    const b = await boxesOf(page);
    expect(b.outside).toEqual([]);
    await page.getByTestId('tile').screenshot({ path: screenshotPath('panel-380x260-filtered-dark.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the panel at high density', () => {
  it('folds identical repeated changes into one card each and draws density, not solid bars', async () => {
    // The scenarios repeated 200 times, a minute apart: 2,000 changes, runs of the same change by the same person.
    const { page, errors } = await openTile('dark', 1600, 900, '&chains=2000');
    const cards = page.getByTestId('story-card');
    const first = await cards.first().getAttribute('data-repeats');
    expect(Number(first)).toBeGreaterThanOrEqual(3);
    expect(await cards.first().textContent()).toMatch(
      /^2026-03-02 \d\d:\d\d:\d\d–\d\d:\d\d(GitOps sync|Manual|Controller).+, \d+ times/
    );
    const marks = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="timeline-dot"]')].map((m) => ({
        tag: m.tagName,
        count: Number(m.getAttribute('data-count')),
        height: m.getBoundingClientRect().height,
      }))
    );
    // One mark per row, bucket and verdict; marks that stand for many are bars whose height grows with the count.
    expect(marks.length).toBeLessThan(2000);
    const bars = marks.filter((m) => m.count > 1);
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.every((m) => m.tag === 'rect')).toBe(true);
    const heights = new Set(bars.map((m) => Math.round(m.height)));
    expect(heights.size).toBeGreaterThan(1);
    await page.screenshot({ path: screenshotPath('panel-2000-chains-dark.png') });
    // The drawer of a run lists its members.
    await cards.first().click();
    await cards.first().click();
    await page.getByTestId('chain-repeats').waitFor();
    expect(await page.getByTestId('chain-repeats').locator('li').count()).toBe(Number(first));
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** WCAG 2.x contrast of every badge (text on its colour) and every mark and swatch (on the panel's background). */
async function contrastsOf(page: Page) {
  return (await page.evaluate(`(() => {
    const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const backgroundOf = (el) => { for (let e = el.parentElement; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; const v = rgb(c); if (v.length === 3 || v[3] > 0) return c; } return 'rgb(255, 255, 255)'; };
    const out = [];
    for (const el of document.querySelectorAll('[data-testid="verdict-badge"]')) {
      const s = getComputedStyle(el);
      out.push({ kind: 'badge', what: el.textContent, ratio: ratio(s.color, s.backgroundColor) });
    }
    for (const el of document.querySelectorAll('[data-testid="timeline-dot"]')) {
      out.push({ kind: 'mark', what: el.getAttribute('data-verdict'), ratio: ratio(getComputedStyle(el).fill, backgroundOf(el)) });
    }
    for (const el of document.querySelectorAll('[data-testid="swatch"]')) {
      out.push({ kind: 'swatch', what: el.parentElement.textContent, ratio: ratio(getComputedStyle(el).backgroundColor, backgroundOf(el.closest('button'))) });
    }
    return out;
  })()`)) as Array<{ kind: string; what: string; ratio: number }>;
}

describe('contrast of the verdict colours', () => {
  it.each(THEMES)('every badge reaches 4.5:1, every mark and swatch 3:1 (%s theme)', async (theme) => {
    const found: Array<{ kind: string; what: string; ratio: number }> = [];
    // Rows and badges at full width, the density strip on a third of a row.
    for (const [w, h] of [
      [1600, 900],
      [520, 400],
    ]) {
      const { page } = await openTile(theme, w, h);
      found.push(...(await contrastsOf(page)));
      await page.close();
    }
    const kinds = (k: string) => found.filter((f) => f.kind === k);
    // Six verdicts on the buttons; the scenarios' five verdicts in the badges and marks.
    expect(new Set(kinds('swatch').map((f) => f.what)).size).toBe(6);
    expect(new Set(kinds('mark').map((f) => f.what)).size).toBe(5);
    expect(kinds('badge').length).toBeGreaterThan(5);
    const failing = found.filter((f) => f.ratio < (f.kind === 'badge' ? 4.5 : 3));
    expect(failing).toEqual([]);
  });
});
