import { expect, test } from '@grafana/plugin-e2e';

// The provisioned Change Provenance data source: its settings render and Save & test finds the demo streams.
test('Save & test reaches Loki through the provisioned data source', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'provenance.yaml', name: 'Change Provenance' });
  const configPage = await gotoDataSourceConfigPage(ds.uid);
  await expect(page.getByLabel('kube-audit selector')).toBeVisible();
  await expect(configPage.saveAndTest()).toBeOK();
});
