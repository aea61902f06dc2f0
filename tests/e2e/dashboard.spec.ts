import { expect, test } from '@grafana/plugin-e2e';

// The provisioned dashboard: the provenance panel tells the demo feeder's incidents as stories.
test('the dashboard tells the demo incidents as stories', async ({
  readProvisionedDashboard,
  gotoDashboardPage,
  page,
}) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'change-provenance.json' });
  await gotoDashboardPage({ uid: dashboard.uid, timeRange: { from: 'now-2h', to: 'now' } });
  await expect(page.getByTestId('story-card').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('timeline')).toBeVisible();
});

test('the alert rules are provisioned on Loki', async ({ page }) => {
  await page.goto('/alerting/list?search=Binding%20to%20cluster-admin');
  await expect(page.getByText('Binding to cluster-admin').first()).toBeVisible();
});
