import { openHarnessPage, screenshotPath, startHarness, type Harness } from './browser';

// Building the harness and starting chromium is slow on a loaded 2-core machine.
jest.setTimeout(180_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.close());

const open = (theme: 'dark' | 'light') => openHarnessPage(harness, `?theme=${theme}`, { width: 1280, height: 900 });

describe('data source editors in a real browser', () => {
  it.each(['dark', 'light'] as const)('config and query editors render with the Grafana theme (%s)', async (theme) => {
    const { page, errors } = await open(theme);
    await page.getByText('Loki data source', { exact: true }).first().waitFor();
    await page.getByLabel('kube-audit selector').waitFor();
    expect(await page.getByLabel('kube-audit selector').getAttribute('placeholder')).toBe('{job="kube-audit"}');
    const logql = await page.getByTestId('provenance-logql').textContent();
    expect(logql).toMatch(/^\{job="kube-audit"\} \|~ /);
    const bg = await page.evaluate(
      () => getComputedStyle(document.querySelector('#root > div') as Element).backgroundColor
    );
    // The harness paints Grafana's theme background: dark is dark, light is light.
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    expect(theme === 'dark' ? luminance < 60 : luminance > 200).toBe(true);
    await page.screenshot({ path: screenshotPath(`datasource-editors-${theme}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('number fields clear and take typing; bad values and selectors get inline errors', async () => {
    const { page, errors } = await open('light');
    const lines = page.getByLabel('Lines per request');
    await lines.fill('1000');
    await lines.press('End');
    for (let i = 0; i < 4; i++) {
      await lines.press('Backspace');
    }
    expect(await lines.inputValue()).toBe('');
    await lines.pressSequentially('500');
    expect(await lines.inputValue()).toBe('500');
    const sync = page.getByLabel('Sync window');
    await sync.pressSequentially('-3');
    await page.getByText('Between 1 and 1,440 min; the default 10 min is used until then.').waitFor();
    await page.getByLabel('kube-audit selector').fill('{job=~"kube.*"}');
    await page
      .getByText('job=~…: only label="value" matchers can be used; the default {job="kube-audit"} is used until then.')
      .waitFor();
    await page.getByLabel('kube-audit selector').fill('{job="kube-audit", cluster="prod"}');
    expect(await page.getByText(/is used until then/).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('datasource-editor-errors-light.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a query over the generated scenarios returns the expected chain', async () => {
    const { page, errors } = await open('dark');
    await page.getByLabel('Name', { exact: true }).fill('frontend-app');
    await page.getByLabel('Namespace', { exact: true }).fill('production');
    expect(await page.getByTestId('provenance-logql').textContent()).toContain('|= "\\"name\\":\\"frontend-app\\""');
    await page.getByTestId('run').click();
    await page.getByTestId('chains').waitFor();
    const rows = await page.locator('[data-testid="chains"] tr').allTextContents();
    expect(rows).toEqual([
      'gitops-rollbackdana@example.orgdeployments production/frontend-app45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b',
    ]);
    await page.screenshot({ path: screenshotPath('datasource-query-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the query is parsed and correlated in the data source's Web Worker, loaded from its public path", async () => {
    const { page, errors } = await open('dark');
    const workers: string[] = [];
    const closed: string[] = [];
    page.on('worker', (w) => {
      workers.push(new URL(w.url()).pathname);
      w.on('close', () => closed.push(w.url()));
    });
    await page.getByLabel('Name', { exact: true }).fill('frontend-app');
    await page.getByLabel('Namespace', { exact: true }).fill('production');
    await page.getByTestId('run').click();
    await page.getByTestId('chains').waitFor();
    // Started, and still alive with the answer: a worker that failed is terminated and the page's thread takes over.
    expect(workers).toEqual(['/traceWorker.js']);
    expect(closed).toEqual([]);
    expect(await page.locator('[data-testid="chains"] tr').allTextContents()).toEqual([
      'gitops-rollbackdana@example.orgdeployments production/frontend-app45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
