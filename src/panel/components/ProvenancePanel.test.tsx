import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { dateTime, LoadingState, type PanelProps } from '@grafana/data';

import { framesOf, hostileChain, scenarioTrace } from '../../../tests/support/panelFrames';
import { DEFAULT_OPTIONS, type ProvenancePanelOptions } from '../types';
import { ProvenancePanel } from './ProvenancePanel';
import { scenarioNames } from '../../core';

const START = Date.UTC(2026, 2, 2, 10);
const { chains, events } = scenarioTrace(0);

function props(over: Partial<PanelProps<ProvenancePanelOptions>> = {}, series = framesOf(chains, events)) {
  const timeRange = { from: dateTime(START - 600_000), to: dateTime(START + scenarioNames().length * 2_400_000), raw: { from: '', to: '' } };
  return {
    data: { series, state: LoadingState.Done, timeRange },
    options: DEFAULT_OPTIONS,
    width: 1000,
    height: 700,
    timeRange,
    timeZone: 'utc',
    onChangeTimeRange: jest.fn(),
    ...over,
  } as unknown as PanelProps<ProvenancePanelOptions>;
}

describe('ProvenancePanel', () => {
  it('tells each change as a story card, newest first', () => {
    render(<ProvenancePanel {...props()} />);
    const cards = screen.getAllByTestId('story-card');
    expect(cards.length).toBeGreaterThan(5);
    // The whole order: card i tells the i-th newest change (each names its object).
    const newestFirst = [...chains].sort((a, b) => (b.effect.time ?? 0) - (a.effect.time ?? 0));
    expect(cards.map((c, i) => c.textContent?.includes(`${newestFirst[i].effect.target.name}`))).toEqual(
      newestFirst.map(() => true)
    );
    const rollback = cards.find((c) => c.textContent?.includes('deleted deployments production/frontend-app'));
    expect(rollback?.textContent).toContain('Rollback');
    expect(rollback?.textContent).toContain('by dana@example.org');
    expect(rollback?.textContent).toContain(
      'Argo CD frontend-app · rollback · commit 45d9f8a1b2c3 · started by dana@example.org'
    );
    expect(rollback?.textContent).toContain(
      'context: kim from 198.51.100.44 updated rolebindings argocd/argocd-admin 10 min before'
    );
    expect(screen.getByTestId('panel-count').textContent).toBe(`${chains.length} of ${chains.length} changes`);
  });

  it('filters by search text and by verdict', () => {
    render(<ProvenancePanel {...props()} />);
    fireEvent.change(screen.getByLabelText('Search changes'), { target: { value: 'legacy-worker' } });
    expect(screen.getAllByTestId('story-card')).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('Search changes'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Manual drift' }));
    // Of the panel fixture's scenarios one drifts by hand: lee's scale by kubectl.
    const who = screen.getAllByTestId('story-card').map((c) => c.querySelector('strong')?.textContent);
    expect(who).toEqual(['lee@example.org']);
  });

  it('opens the details of a chain: every link with confidence and evidence, the context, a way to Explore', () => {
    render(<ProvenancePanel {...props()} />);
    const card = screen
      .getAllByTestId('story-card')
      .find((c) => c.textContent?.includes('frontend-app')) as HTMLElement;
    fireEvent.click(card);
    fireEvent.click(card);
    const details = screen.getByTestId('chain-details');
    expect(
      within(details)
        .getAllByTestId('chain-link')
        .map((l) => l.textContent?.split(' — ')[0])
    ).toEqual(['gitops-apply', 'sync-trigger', 'sync-trigger']);
    expect(details.textContent).toContain('confidence 0.70');
    expect(details.textContent).toContain('rollback to history id 3 of frontend-app');
    expect(within(details).getAllByTestId('chain-context')).toHaveLength(2);
    const explore = screen.getByText('Raw lines in Explore').closest('a') as HTMLAnchorElement;
    const left = JSON.parse(decodeURIComponent((explore.getAttribute('href') ?? '').split('panes=')[1])).provenance;
    expect(left).toMatchObject({
      datasource: 'loki-main',
      queries: [{ expr: expect.stringMatching(/^\{job="kube-audit"\} \|= "/) }],
    });
  });

  it('moves with the keyboard and opens with Enter', () => {
    render(<ProvenancePanel {...props()} />);
    const list = screen.getByTestId('story-list');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('story-card')[1].getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(screen.getByTestId('chain-details')).toBeInTheDocument();
  });

  it('forgets the selection when the filter changes, rather than pointing at another change', () => {
    render(<ProvenancePanel {...props()} />);
    fireEvent.keyDown(screen.getByTestId('story-list'), { key: 'ArrowDown' });
    fireEvent.click(screen.getByRole('button', { name: 'Manual' }));
    expect(screen.getAllByTestId('story-card').map((c) => c.getAttribute('aria-selected'))).not.toContain('true');
    fireEvent.keyDown(screen.getByTestId('story-list'), { key: 'Enter' });
    expect(screen.queryByTestId('chain-details')).toBeNull();
  });

  it('brushing the timeline zooms the dashboard time range', () => {
    const p = props();
    render(<ProvenancePanel {...p} />);
    const svg = screen.getByTestId('timeline');
    expect(screen.getAllByTestId('timeline-dot').length).toBe(chains.length);
    fireEvent.mouseDown(svg, { clientX: 300 });
    fireEvent.mouseMove(svg, { clientX: 500 });
    expect(screen.getByTestId('brush')).toBeInTheDocument();
    fireEvent.mouseUp(svg, { clientX: 500 });
    const arg = (p.onChangeTimeRange as jest.Mock).mock.calls[0][0];
    expect(arg.from).toBeLessThan(arg.to);
    expect(arg.from).toBeGreaterThan(START - 600_000);
  });

  it('says what to do when empty, loading, failed, truncated, or given frames that are not ours', () => {
    const { rerender } = render(<ProvenancePanel {...props({}, framesOf([]))} />);
    expect(screen.getByTestId('panel-empty').textContent).toContain('Widen the range');
    rerender(<ProvenancePanel {...props({ data: { series: [], state: LoadingState.Loading } as never })} />);
    expect(screen.getByText('Reading the audit streams…')).toBeInTheDocument();
    rerender(
      <ProvenancePanel
        {...props({
          data: { series: [], state: LoadingState.Error, errors: [{ message: 'Loki unreachable' }] } as never,
        })}
      />
    );
    expect(screen.getByTestId('panel-error').textContent).toContain('The query failed: Loki unreachable');
    rerender(<ProvenancePanel {...props({ options: { ...DEFAULT_OPTIONS, maxChains: 2 } })} />);
    expect(screen.getByTestId('panel-truncated').textContent).toContain(
      `${chains.length - 2} more changes are not shown`
    );
    rerender(<ProvenancePanel {...props({}, [{ name: 'cpu', fields: [], length: 0 } as never])} />);
    expect(screen.getByTestId('panel-foreign')).toBeInTheDocument();
  });

  it('renders hostile log content as inert text', () => {
    const { container } = render(<ProvenancePanel {...props({}, framesOf([hostileChain(chains[0])]))} />);
    act(() => undefined);
    expect(container.querySelector('img, script')).toBeNull();
    const card = screen.getByTestId('story-card');
    expect(card.textContent).toContain('<script>window.__pwned=2</script>');
    expect(card.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(card.textContent).toContain('מרחב-שמות');
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
