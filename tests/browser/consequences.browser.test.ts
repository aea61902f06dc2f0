import { generate } from '../../src/core';
import { openHarnessPage, screenshotPath, startHarness, type Harness } from './browser';

// Building the harness and starting chromium is slow on a loaded 2-core machine.
jest.setTimeout(180_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.close());

// The ground truth of the Rancher delete: the harness generates the same scenarios with the same seed
// (tests/support/panelFrames.ts, cascadeTrace; it cannot be imported here, outside the page).
const CASCADE_SCENARIOS = ['rancher-delete-cascade', 'argocd-rollout', 'manual-scale-cascade', 'cronjob-run'];
const SCENARIO_START = Date.UTC(2026, 2, 2, 10);
const truth = generate({ scenarios: CASCADE_SCENARIOS, noiseEvents: 0, seed: 8, start: SCENARIO_START }).truth;
const consequences = truth.filter((t) => t.scenario === 'rancher-delete-cascade' && t.cause);
const pods = consequences.filter((t) => t.effect.resource === 'pods');

describe('consequences folded under their cause, in a real browser', () => {
  it('a card per cause; its consequences listed on the card and in the details, by kind', async () => {
    const { page, errors } = await openHarnessPage(harness, 'panel.html?cascades=1', { width: 1240, height: 840 });
    await page.getByTestId('provenance-panel').waitFor();
    const card = page.getByTestId('story-card').filter({ hasText: 'deleted deployments shop/catalog' });
    await card.waitFor();
    const toggle = card.getByTestId('consequences-toggle');
    expect(await toggle.textContent()).toBe(
      `and ${consequences.length} consequences: 1 ReplicaSet, ${pods.length} Pods`
    );
    // No card of its own for a consequence.
    for (const p of pods) {
      expect(
        await page
          .getByTestId('story-card')
          .filter({ hasText: `pods shop/${p.effect.name}` })
          .count()
      ).toBe(0);
    }
    await toggle.click();
    const list = card.getByTestId('card-consequence-list');
    await list.waitFor();
    expect(await list.getByRole('listitem').count()).toBe(consequences.length);
    expect(await page.getByTestId('chain-details').count()).toBe(0);
    // The expanded card pushes the next one down: no overlap in the virtual list.
    const cards = page.getByTestId('story-card');
    const boxes = await Promise.all([0, 1, 2].map((i) => cards.nth(i).boundingBox()));
    for (let i = 1; i < boxes.length; i++) {
      expect((boxes[i]?.y ?? 0) + 0.5).toBeGreaterThanOrEqual((boxes[i - 1]?.y ?? 0) + (boxes[i - 1]?.height ?? 0));
    }
    await card.click();
    await card.click();
    const details = page.getByTestId('chain-consequences');
    await details.waitFor();
    expect(await details.getByTestId('chain-consequence').count()).toBe(consequences.length);
    await page.screenshot({ path: screenshotPath('panel-consequences.png') });
    expect(errors).toEqual([]);
  });
});
