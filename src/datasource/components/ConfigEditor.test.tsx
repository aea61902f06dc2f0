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

  it('edits a stream selector, showing the default as placeholder, and flags invalid text', () => {
    const onOptionsChange = setup({ selectors: { fleet: 'job fleet' } });
    const kube = screen.getByLabelText('kube-audit selector') as HTMLInputElement;
    expect(kube.placeholder).toBe('job=kube-audit');
    fireEvent.change(kube, { target: { value: 'job=audit, cluster=prod' } });
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({
        jsonData: { selectors: { fleet: 'job fleet', 'kube-audit': 'job=audit, cluster=prod' } },
      })
    );
    expect(screen.getByText('Write label=value pairs separated by commas.')).toBeInTheDocument();
  });
});
