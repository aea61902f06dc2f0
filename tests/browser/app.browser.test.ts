import { scenarioNames } from '../../src/core';
import { scenarioLokiLines } from '../support/fakeLokiDataSource';
import { openHarnessPage, screenshotPath, startHarness, type Harness } from './browser';

// Building the harness and starting chromium is slow on a loaded 2-core machine.
jest.setTimeout(180_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.close());

const START = Date.UTC(2026, 2, 2, 10);
const RANGE = `from=${START - 600_000}&to=${START + scenarioNames().length * 2_400_000}`;

async function openPage(path: string, theme: 'dark' | 'light' = 'dark') {
  const opened = await openHarnessPage(
    harness,
    `a/provenance-gitops-app/${path}&theme=${theme}`,
    { width: 1400, height: 1000 },
    ['clipboard-read', 'clipboard-write']
  );
  return opened;
}

const storyTexts = async (page: import('playwright-core').Page) => {
  await page.getByTestId('story-card').first().waitFor();
  return page.getByTestId('story-card').allTextContents();
};

describe('the app pages (Scenes) in a real browser', () => {
  it('Investigate: a person in the URL answers with their changes; a new search goes into the URL and survives a reload', async () => {
    const { page, errors } = await openPage(`investigate?${RANGE}&var-q=dana@example.org`);
    const stories = await storyTexts(page);
    expect(stories.some((s) => s.includes('dana@example.org') && s.includes('frontend-app'))).toBe(true);
    expect(stories.every((s) => s.includes('dana'))).toBe(true);
    await page.screenshot({ path: screenshotPath('app-investigate-dark.png') });

    const search = page.getByRole('textbox', { name: 'Search', exact: true });
    await search.fill('deployments/production/frontend-app');
    await search.press('Enter');
    await page.waitForURL(/var-q=deployments%2Fproduction%2Ffrontend-app/);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="story-card"]')].every((c) => c.textContent?.includes('frontend-app'))
    );
    const url = page.url();
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    expect(await page.getByRole('textbox', { name: 'Search', exact: true }).inputValue()).toBe(
      'deployments/production/frontend-app'
    );
    expect(page.url()).toBe(url);
    expect((await storyTexts(page)).every((s) => s.includes('frontend-app'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Object history and Person trail answer from their URL', async () => {
    const object = await openPage(`object?${RANGE}&var-object=deployments/shop/checkout`, 'light');
    const changes = await storyTexts(object.page);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((s) => s.includes('shop/checkout'))).toBe(true);
    await object.page.screenshot({ path: screenshotPath('app-object-history-light.png') });
    expect(object.errors).toEqual([]);
    await object.page.close();

    const person = await openPage(`person?${RANGE}&var-person=kim`);
    const trail = await storyTexts(person.page);
    expect(trail.length).toBeGreaterThanOrEqual(3);
    expect(trail.every((s) => s.includes('kim'))).toBe(true);
    await person.page.screenshot({ path: screenshotPath('app-person-trail-dark.png') });
    expect(person.errors).toEqual([]);
    await person.page.close();
  });

  it('hostile content stays inert: markup in the search and in logged names is text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const { page, errors } = await openPage(`investigate?${RANGE}&var-q=${encodeURIComponent(evil)}`);
    const stories = await storyTexts(page);
    expect(stories).toHaveLength(1);
    expect(stories[0]).toContain('<script>window.__pwned=2</script>');
    expect(stories[0]).toContain(evil);
    expect(await page.getByRole('textbox', { name: 'Search', exact: true }).inputValue()).toBe(evil);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('report: "Copy as Markdown" of one chain (the drawer) and of the selection holds the story and evidence; "Download JSON" is the trace contract with the story, raw lines and Explore links', async () => {
    const { page, errors } = await openPage(`investigate?${RANGE}&var-q=deployments/production/frontend-app`);
    await storyTexts(page);
    const rollback = page.getByTestId('story-card').filter({ hasText: 'started by dana@example.org' }).first();
    await rollback.click();
    await rollback.click();
    const details = page.getByTestId('chain-details');
    await details.waitFor();
    await details.getByRole('button', { name: 'Copy as Markdown' }).click();
    await details.getByTestId('report-status').waitFor();
    const md = await page.evaluate(() => navigator.clipboard.readText());
    // The scenario's rollback (core/generate/scenarios.ts): dana rolled frontend-app back; its deletion at 10:10 UTC.
    expect(md).toContain('## 1. dana\\@example\\.org\\: delete deployments production\\/frontend\\-app');
    expect(md).toMatch(/\| When \| 2026\\-03\\-02 1\d\\:\d\d\\:\d\d UTC/);
    expect(md).toContain('### How each link was found');
    expect(md).toContain('**sync\\-trigger**');
    // Each record's raw line as Loki holds it, and an Explore link on the harness's Loki data source.
    expect(md).toContain('```json\n');
    expect(md).toMatch(/\[open in Explore\]\(<http:\/\/127\.0\.0\.1:\d+\/explore\?schemaVersion=1&panes=/);
    expect(md.match(/^## \d+\. /gm)).toHaveLength(1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      details.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    const path = await download.path();
    const json = JSON.parse(require('node:fs').readFileSync(path, 'utf8')) as {
      chains: Array<Record<string, unknown>>;
      stories: Array<{ what: string; evidence: Array<{ line: string | null; explore: string | null }> }>;
    };
    expect(Object.keys(json)).toEqual(['report', 'chains', 'stories']);
    expect(json.chains).toHaveLength(1);
    expect(json.stories[0].what).toBe('delete deployments production/frontend-app');
    expect(json.stories[0].evidence.some((e) => e.line !== null)).toBe(true);
    expect(json.stories[0].evidence[0].explore).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/explore\?schemaVersion=1&panes=/);
    expect(json.chains[0]).toMatchObject({ verdict: 'gitops-rollback', who: { name: 'dana@example.org' } });
    expect(download.suggestedFilename()).toMatch(/^provenance-frontend-app-.*\.json$/);
    await page.getByTestId('data-testid Drawer close').click();
    await details.waitFor({ state: 'detached' });

    // The selection: the changes the panel shows after its own search.
    await page.getByRole('textbox', { name: 'Search changes' }).fill('dana');
    const toolbar = page.getByTestId('panel-toolbar');
    const count = await page.getByTestId('story-card').count();
    await toolbar.getByRole('button', { name: 'Copy as Markdown' }).click();
    await toolbar.getByTestId('report-status').waitFor();
    const all = await page.evaluate(() => navigator.clipboard.readText());
    expect(all).toContain('Question: ` dana `');
    expect((all.match(/^## \d+\. /gm) ?? []).length).toBeGreaterThanOrEqual(count);
    expect(all.match(/^## \d+\. .*/gm)?.every((h) => h.includes('dana'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Person trail: every door counted, grouped by cluster and namespace, refusals apart; the namespace narrows through the URL', async () => {
    const { page, errors } = await openPage(`person?${RANGE}&var-person=kim`);
    const trail = page.getByTestId('person-trail');
    await trail.waitFor();
    const door = async (d: string) => Number((await page.getByTestId(`door-${d}`).innerText()).split(':').pop());
    // kim in the scenarios (core/generate/scenarios.ts): through Rancher, and Fleet's payments; in the harness:
    // two kubectl patches in prod-us, one `--as=deploy-bot`, and a refused delete.
    expect(await door('rancher')).toBeGreaterThanOrEqual(1);
    expect(await door('fleet')).toBeGreaterThanOrEqual(1);
    expect(await door('impersonation')).toBe(1);
    expect(await door('argocd')).toBe(0);
    const denied = page.getByTestId('trail-denied').locator('tr');
    expect(await denied.count()).toBe(1);
    expect(await denied.first().innerText()).toMatch(/403\s+delete secrets kube-system\/bootstrap-token-abcdef/);
    const text = await trail.innerText();
    expect(text).toContain('Cluster prod-eu');
    expect(text).toContain('Cluster prod-us');
    const billing = page.getByTestId('trail-group').filter({ hasText: 'billing' });
    expect(await billing.innerText()).toMatch(
      /^billing — 3 changes \(Directly \(kubectl, API\) 2, Impersonating \(--as\) 1\)/
    );
    await page.screenshot({ path: screenshotPath('app-person-trail-groups-dark.png') });

    const ns = page.getByRole('textbox', { name: 'Namespace', exact: true });
    await ns.fill('billing');
    await ns.press('Enter');
    await page.waitForURL(/var-namespace=billing/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="trail-group"]').length === 1);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    await page.getByTestId('person-trail').waitFor();
    expect(await page.getByRole('textbox', { name: 'Namespace', exact: true }).inputValue()).toBe('billing');
    expect(await page.getByTestId('trail-group').allInnerTexts()).toEqual([
      expect.stringMatching(/^billing — 3 changes/),
    ]);
    expect(errors).toEqual([]);
    await page.close();

    const dana = await openPage(`person?${RANGE}&var-person=dana@example.org`);
    await dana.page.getByTestId('person-trail').waitFor();
    // dana started the rollback of frontend-app in Argo CD.
    expect(Number((await dana.page.getByTestId('door-argocd').innerText()).split(':').pop())).toBeGreaterThanOrEqual(1);
    expect(dana.errors).toEqual([]);
    await dana.page.close();
  });

  it('Person trail of a person with 100,000 writes: counts whole, 50 namespaces of 10 listed with how many more, and it still narrows', async () => {
    const { page, errors } = await openPage(`person?${RANGE}&var-person=bulk-bot@example.org&bulk=100000`);
    const trail = page.getByTestId('person-trail');
    await trail.waitFor({ timeout: 600_000 });
    // The harness's bulk writes: 100,000 patches, 1,250 in each of 80 namespaces, all kubectl (direct).
    expect(Number((await page.getByTestId('door-direct').innerText()).split(':').pop())).toBe(100_000);
    expect(await page.getByTestId('trail-group').count()).toBe(50);
    expect(await page.getByTestId('trail-more-groups').innerText()).toMatch(
      /^30 more namespaces: type one in Namespace/
    );
    const more = await page.getByTestId('trail-more').allInnerTexts();
    expect(more).toHaveLength(50);
    expect(more.every((t) => /^1240 more in team-\d\d\./.test(t))).toBe(true);
    // Still answers: the namespace narrows to one group.
    const ns = page.getByRole('textbox', { name: 'Namespace', exact: true });
    await ns.fill('team-07');
    await ns.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="trail-group"]').length === 1, undefined, {
      timeout: 600_000,
    });
    expect(await page.getByTestId('trail-group').innerText()).toMatch(/^team-07 — 1250 changes/);
    expect(errors).toEqual([]);
    await page.close();
  }, 1_200_000);

  it('Source health: per source lines per minute, last line, parse share and skip reasons, audit level; what to ship for a missing or unreadable one', async () => {
    // What the harness's Loki holds, counted here from the same generated lines (plus the harness's own:
    // the hostile delete and kim's four lines are kube-audit).
    const lines = scenarioLokiLines(300, START);
    const count = (job: string) => lines.filter((l) => l.labels?.job === job).length + (job === 'kube-audit' ? 5 : 0);
    const { page, errors } = await openPage(`health?${RANGE}`);
    await page.getByTestId('health-kube-audit').waitFor();
    for (const s of ['kube-audit', 'rancher-audit', 'argocd', 'fleet']) {
      const row = page.getByTestId(`health-${s}`);
      expect(await row.innerText()).toContain('arrives and parses');
      expect(await row.getByTestId('health-rate').innerText()).toContain(`(${count(s)} in the range)`);
      expect(await row.getByTestId('health-parsed').innerText()).toMatch(/^100 % of \d+$/);
      expect(await row.getByTestId('health-last').innerText()).toMatch(/^2026-03-02 \d\d:\d\d:00$/);
    }
    // The generated kube-apiserver lines are written at all three levels (core/generate/records.ts).
    expect(await page.getByTestId('health-kube-audit').getByTestId('health-levels').innerText()).toMatch(
      /^(?=.*Metadata ×\d+)(?=.*Request ×\d+)(?=.*RequestResponse ×\d+)/
    );
    await page.screenshot({ path: screenshotPath('app-source-health-dark.png') });
    expect(errors).toEqual([]);
    await page.close();

    // A data source set up wrong: Rancher's selector reads a stream no parser reads, Fleet's matches nothing.
    const bad = await openPage(`health?${RANGE}&app-ds=provenance-misconfigured`, 'light');
    const rancher = bad.page.getByTestId('health-rancher-audit');
    await rancher.waitFor();
    expect(await rancher.innerText()).toContain('unreadable');
    expect(await rancher.getByTestId('health-parsed').innerText()).toBe('0 % of 20');
    expect(await rancher.getByTestId('health-skips').innerText()).toMatch(/^unknown-format ×20 — first at ns \d+/);
    expect(await rancher.getByTestId('health-advice').innerText()).toContain(
      'docs/shipping-logs.md#5-rancher-api-audit-log'
    );
    const fleet = bad.page.getByTestId('health-fleet');
    expect(await fleet.innerText()).toContain('missing');
    expect(await fleet.getByTestId('health-advice').innerText()).toMatch(
      /^No line of \{job="fleet-missing"\} in this range\. Ship fleet-controller .* docs\/shipping-logs\.md#6-fleet\.$/
    );
    expect(await bad.page.getByTestId('health-argocd').innerText()).toContain('arrives and parses');
    await bad.page.screenshot({ path: screenshotPath('app-source-health-misconfigured-light.png') });
    // The time range is the page's URL state: a reload reads the same range.
    const url = bad.page.url();
    await bad.page.reload();
    await bad.page.getByTestId('health-fleet').waitFor();
    expect(bad.page.url()).toBe(url);
    expect(url).toContain(`from=${new Date(START - 600_000).toISOString()}`);
    expect(bad.errors).toEqual([]);
    await bad.page.close();
  });

  it('App configuration: the pages use the first data source until another is chosen and saved in jsonData; a Viewer is told why it did not save', async () => {
    const { page, errors } = await openPage('__config?');
    const radios = page.getByRole('radio');
    await radios.first().waitFor();
    expect(await radios.count()).toBe(4);
    expect(await page.getByLabel('The first one (Change Provenance)').isChecked()).toBe(true);
    await page.getByText('Change Provenance (misconfigured)').click();
    await page.screenshot({ path: screenshotPath('app-configuration-dark.png') });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
    const saves = await page.evaluate(() => (window as unknown as { settingsSaves: unknown[] }).settingsSaves);
    expect(saves).toEqual([]);
    // The save went out before the reload: what Grafana stores is what the page reads after it.
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    expect(await page.getByLabel('Change Provenance (misconfigured)').isChecked()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('provenance-app-settings'))).toBe(
      JSON.stringify({ datasourceUid: 'provenance-misconfigured' })
    );
    await page.goto(page.url().replace(/__config\?.*/, `health?${RANGE}`));
    await page.getByTestId('health-fleet').waitFor();
    expect(await page.getByTestId('health-fleet').innerText()).toContain('missing');
    await page.evaluate(() => sessionStorage.clear());
    expect(errors).toEqual([]);
    await page.close();

    const viewer = await openPage('__config?role=viewer');
    await viewer.page.getByText('Change Provenance (no Loki)').click();
    await viewer.page.getByRole('button', { name: 'Save settings' }).click();
    await viewer.page.getByText(/The settings were not saved: Permission denied\. You need the Admin role/).waitFor();
    expect(viewer.errors).toEqual([]);
    await viewer.page.close();
  });

  it('bad input: an unknown object, a LogQL injection, a data source without Loki or that does not exist — each page says what happened and what to do, as text', async () => {
    const unknown = await openPage(`object?${RANGE}&var-object=deployments/nowhere/nothing`);
    await unknown.page.getByTestId('panel-empty').waitFor();
    expect(await unknown.page.getByTestId('panel-empty').innerText()).toMatch(
      /^No changes in this time range\. Widen the range/
    );
    await unknown.page.close();

    const injection = '"} |= "" or {job=~".+';
    const inj = await openPage(`investigate?${RANGE}&var-q=${encodeURIComponent(injection)}`);
    await inj.page.getByTestId('panel-empty').waitFor();
    const exprs = await inj.page.evaluate(() => (window as unknown as { lokiRequests: () => string[] }).lokiRequests());
    // Whatever the search became, it never reached Loki as a selector or filter of its own.
    expect(exprs.length).toBeGreaterThan(0);
    expect(exprs.every((e) => !e.includes('{job=~".+'))).toBe(true);
    expect(inj.errors).toEqual([]);
    await inj.page.close();

    for (const path of ['investigate', 'object', 'person', 'health']) {
      const { page, errors } = await openPage(
        `${path}?${RANGE}&var-q=kim&var-object=x&var-person=kim&app-ds=provenance-no-loki`
      );
      await page
        .getByText(/choose the Loki data source that holds your audit streams \(data source settings\)/)
        .first()
        .waitFor();
      expect(errors).toEqual([]);
      await page.close();
    }
    const gone = await openPage(`person?${RANGE}&app-ds=deleted-uid`);
    await gone.page
      .getByText(
        /The data source deleted-uid named in the app's settings does not exist\. Choose another on the app's configuration page/
      )
      .waitFor();
    await gone.page.screenshot({ path: screenshotPath('app-bad-datasource-light.png') });
    await gone.page.close();
  });
});
