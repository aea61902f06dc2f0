import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import type { ProvenanceOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  // The real picker lists data sources from Grafana's registry; here it is a button per Loki instance.
  DataSourcePicker: ({ onChange, type }: { onChange: (ds: { uid: string }) => void; type: string }) => (
    <button onClick={() => onChange({ uid: 'loki-main' })}>pick {type}</button>
  ),
}));

function setup(jsonData: ProvenanceOptions = {}) {
  const onOptionsChange = jest.fn();
  const options = { jsonData, secureJsonFields: {} } as unknown as DataSourceSettings<ProvenanceOptions>;
  render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return onOptionsChange;
}

describe('ConfigEditor', () => {
  it('picks a Loki data source (and only Loki)', () => {
    const onOptionsChange = setup();
    fireEvent.click(screen.getByText('pick loki'));
    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ jsonData: { lokiUid: 'loki-main' } }));
  });

  it('turns on reading recorded chains, and shows the cluster the kube-apiserver selector implies', () => {
    const onOptionsChange = setup({ selectors: { 'kube-audit': 'job=kube-audit, cluster=prod-eu' } });
    fireEvent.click(screen.getByLabelText('Read recorded chains'));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: expect.objectContaining({ recordedChains: true }) })
    );
    expect((screen.getByLabelText('Recorded cluster') as HTMLInputElement).placeholder).toBe('prod-eu');
  });

  it('sets a correlation window in its unit, and clears it back to the default', () => {
    const onOptionsChange = setup({ windows: { rbacLookbackMs: 7_200_000 } });
    const rbac = screen.getByLabelText('RBAC look-back') as HTMLInputElement;
    expect(rbac.value).toBe('2');
    fireEvent.change(rbac, { target: { value: '48' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { windows: { rbacLookbackMs: 172_800_000 } } })
    );
    fireEvent.change(rbac, { target: { value: '' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { windows: {} } }));
  });

  it('lets a number be cleared and typed digit by digit, storing only what is in range', () => {
    const onOptionsChange = setup({ pageLimit: 1000 });
    const lines = screen.getByLabelText('Lines per request') as HTMLInputElement;
    expect(lines.value).toBe('1000');
    fireEvent.change(lines, { target: { value: '' } });
    // Cleared: the field stays empty (it used to snap back to 1000) and the default is used.
    expect(lines.value).toBe('');
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { pageLimit: undefined } }));
    for (const typed of ['5', '50', '500']) {
      fireEvent.change(lines, { target: { value: typed } });
    }
    expect(lines.value).toBe('500');
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { pageLimit: 500 } }));
    expect(screen.queryByText(/is used until then/)).toBeNull();
  });

  it.each([
    ['Lines per request', '-5', 'Between 1 and 50,000 lines; the default 1,000 lines is used until then.'],
    ['Lines per request', '2.5', 'Type a whole number lines; the default 1,000 lines is used until then.'],
    ['Sync window', '1e9', 'Between 1 and 1,440 min; the default 10 min is used until then.'],
    ['Clock skew between sources', '-1', 'Between 0 and 300 s; the default 2 s is used until then.'],
    ['Drift look-back', '0', 'Between 1 and 90 d; the default 7 d is used until then.'],
  ])('refuses %s = %s with an inline error that says what is used', (label, typed, message) => {
    const onOptionsChange = setup();
    fireEvent.change(screen.getByLabelText(label), { target: { value: typed } });
    expect(screen.getByText(message)).toBeInTheDocument();
    const json = onOptionsChange.mock.calls.at(-1)[0].jsonData;
    expect(json.pageLimit).toBeUndefined();
    expect(json.windows ?? {}).toEqual({});
  });

  it('says what each window decides', () => {
    setup();
    expect(
      screen.getByText(/How long after an Argo CD sync or rollback starts .* Default 10 min\./)
    ).toBeInTheDocument();
    expect(screen.getByText(/a person's write to it is drift\. Default 7 d\./)).toBeInTheDocument();
  });

  it("takes a stream selector in Loki's own syntax, and says what is used instead of one it refuses", () => {
    const onOptionsChange = setup({ selectors: { fleet: 'job fleet', argocd: '{job=~"argo.*"}' } });
    const kube = screen.getByLabelText('kube-audit selector') as HTMLInputElement;
    expect(kube.placeholder).toBe('{job="kube-audit"}');
    expect(
      screen.getByText(
        'Not a stream selector: write {job="kube-audit"} or job=kube-audit, cluster=prod; the default {job="fleet"} is used until then.'
      )
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'job=~…: only label="value" matchers can be used; the default {job="argocd"} is used until then.'
      )
    ).toBeInTheDocument();
    fireEvent.change(kube, { target: { value: '{job="audit", cluster="prod"}' } });
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({
        jsonData: expect.objectContaining({
          selectors: expect.objectContaining({ 'kube-audit': '{job="audit", cluster="prod"}' }),
        }),
      })
    );
  });
});
