import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import { provenanceSettings } from '../../../tests/support/instanceSettings';
import { DataSource } from '../datasource';
import type { ProvenanceQuery } from '../types';
import { alertRuleUrl, QueryEditor } from './QueryEditor';

const ds = new DataSource(provenanceSettings({ lokiUid: 'loki-main' }));

function setup(query: Partial<ProvenanceQuery> = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      datasource={ds}
      query={{ refId: 'A', mode: 'chains', ...query }}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it('offers "Correlate live" only where the data source reads recorded chains', () => {
    setup();
    expect(screen.queryByLabelText('Correlate live')).toBeNull();
    const onChange = jest.fn();
    const recorded = new DataSource(provenanceSettings({ lokiUid: 'loki-main', recordedChains: true }));
    render(
      <QueryEditor
        datasource={recorded}
        query={{ refId: 'B', mode: 'chains' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    fireEvent.click(screen.getByLabelText('Correlate live'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ live: true }));
  });

  it('edits the object and runs on blur', () => {
    const { onChange, onRunQuery } = setup();
    const name = screen.getByLabelText('Name');
    fireEvent.change(name, { target: { value: 'frontend-app' } });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ name: 'frontend-app', mode: 'chains' }));
    fireEvent.blur(name);
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('suggests namespaces that changed recently, once, when the field gets focus', async () => {
    const suggest = jest.spyOn(ds, 'suggest').mockResolvedValue(['production', 'shop']);
    setup();
    fireEvent.focus(screen.getByLabelText('Namespace'));
    fireEvent.focus(screen.getByLabelText('Namespace'));
    await waitFor(
      () => expect(screen.getByTestId('suggestions-namespace').querySelectorAll('option')).toHaveLength(2),
      {
        timeout: 10_000,
      }
    );
    expect(suggest).toHaveBeenCalledTimes(1);
    expect(suggest).toHaveBeenCalledWith('namespace');
    expect(screen.getByLabelText('Namespace').getAttribute('list')).toBe('provenance-namespace');
    suggest.mockRestore();
  });

  it('switches mode and runs', () => {
    const { onChange, onRunQuery } = setup();
    fireEvent.click(screen.getByText('Graph'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ mode: 'graph' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('shows the LogQL it will run, escaped, and links to a prefilled alert rule on the Loki data source', () => {
    setup({ namespace: 'shop', name: 'a"b', keepRoutine: true });
    expect(screen.getByTestId('provenance-logql').textContent).toBe(
      String.raw`{job="kube-audit"} |~ "\"verb\":\"(create|update|patch|delete|deletecollection)\"" |= "\"namespace\":\"shop\"" |= "\"name\":\"a\\\"b\""`
    );
    const link = screen.getByText('Create alert rule').closest('a') as HTMLAnchorElement;
    const defaults = JSON.parse(decodeURIComponent(link.getAttribute('href')?.split('defaults=')[1] ?? ''));
    expect(defaults.queries[0]).toMatchObject({ datasourceUid: 'loki-main', model: { queryType: 'range' } });
    expect(defaults.queries[0].model.expr).toMatch(/^sum by \(objectRef_namespace\) \(count_over_time\(/);
  });

  it('by default the LogQL leaves routine system writes out; the switch keeps them', () => {
    const { onChange, onRunQuery } = setup({ namespace: 'shop' });
    expect(screen.getByTestId('provenance-logql').textContent).toMatch(/ !~ "\^\\\\\{\\"kind\\":\\"Event\\"/);
    fireEvent.click(screen.getByLabelText('Keep routine traffic'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ keepRoutine: true }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('alertRuleUrl prefills a rule Grafana can evaluate (A query, B reduce, C threshold, condition C), read back exactly', () => {
    const href = alertRuleUrl('u', '{a="b"} |= "50% & more"', 't & x=#1');
    const url = new URL(href, 'http://grafana.invalid');
    expect(url.pathname).toBe('/alerting/new/alerting');
    expect([...url.searchParams.keys()]).toEqual(['defaults']);
    expect(url.hash).toBe('');
    const defaults = JSON.parse(url.searchParams.get('defaults') ?? '');
    // RuleFormType.grafana is 'grafana-alerting' in Grafana 13.1 (public/app/features/alerting/unified/types/rule-form.ts).
    expect(defaults).toMatchObject({ type: 'grafana-alerting', name: 't & x=#1', condition: 'C' });
    expect(defaults.queries.map((q: { refId: string; datasourceUid: string }) => [q.refId, q.datasourceUid])).toEqual([
      ['A', 'u'],
      ['B', '__expr__'],
      ['C', '__expr__'],
    ]);
    expect(defaults.queries[0]).toMatchObject({ queryType: '', relativeTimeRange: { from: 600, to: 0 } });
    expect(defaults.queries[0].model).toMatchObject({
      refId: 'A',
      expr: '{a="b"} |= "50% & more"',
      queryType: 'range',
    });
    expect(defaults.queries[1].model).toMatchObject({ type: 'reduce', expression: 'A' });
    expect(defaults.queries[2].model).toMatchObject({ type: 'threshold', expression: 'B' });
  });
});
