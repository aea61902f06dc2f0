import { expect, test } from '@grafana/plugin-e2e';

// The app's pages in a running Grafana (`docker compose up`: the demo streams pushed by `provenance push`).
const pluginId = 'provenance-gitops-app';

test('Investigate: a search in the URL goes into the URL and is answered', async ({
  gotoAppPage,
  page,
}) => {
  await gotoAppPage({ pluginId, path: '/investigate' });
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill('deployments/production/frontend-app');
  await page.getByRole('textbox', { name: 'Search', exact: true }).press('Enter');
  await expect(page).toHaveURL(/var-q=deployments%2Fproduction%2Ffrontend-app/);
  await expect(page.getByTestId('chain-stories')).toBeVisible();
  await expect(page.getByTestId('story-card').first().or(page.getByTestId('panel-empty'))).toBeVisible();
});

test('Object history and Person trail open from their URL', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/object' });
  await expect(page.getByRole('textbox', { name: 'Object', exact: true })).toBeVisible();
  await gotoAppPage({ pluginId, path: '/person' });
  await page.getByRole('textbox', { name: 'Person', exact: true }).fill('kim');
  await page.getByRole('textbox', { name: 'Person', exact: true }).press('Enter');
  await expect(page).toHaveURL(/var-person=kim/);
  await expect(page.getByTestId('person-trail').or(page.getByTestId('panel-empty'))).toBeVisible();
});

test('Source health lists the four sources with a state each', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/health' });
  for (const source of ['kube-audit', 'rancher-audit', 'argocd', 'fleet']) {
    await expect(page.getByTestId(`health-${source}`)).toBeVisible();
  }
});

test('the configuration page offers the Change Provenance data sources, the first one by default', async ({
  gotoAppConfigPage,
  page,
}) => {
  await gotoAppConfigPage({ pluginId });
  await expect(page.getByRole('radio').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeVisible();
});
