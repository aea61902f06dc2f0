import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { dateTime, LoadingState, type PanelProps } from '@grafana/data';

import { framesOf, hostileChain, scenarioTrace } from '../../../tests/support/panelFrames';
import { panelProps } from '../../../tests/support/panelProps';
import { DEFAULT_OPTIONS, type ProvenancePanelOptions } from '../types';
import { effectText as effectTextOf } from '../story';
import { ProvenancePanel } from './ProvenancePanel';
import { scenarioNames } from '../../core';

const START = Date.UTC(2026, 2, 2, 10);
const { chains, events } = scenarioTrace(0);

const props = (over: Partial<PanelProps<ProvenancePanelOptions>> = {}, series = framesOf(chains, events)) =>
  panelProps(series, { from: START - 600_000, to: START + scenarioNames().length * 2_400_000 }, over);

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
    expect(screen.getByTestId('panel-count').textContent).toBe(`${chains.length} changes`);
  });

  it('filters by search text and by verdict', () => {
    render(<ProvenancePanel {...props()} />);
    fireEvent.change(screen.getByLabelText('Search changes'), { target: { value: 'legacy-worker' } });
    expect(screen.getAllByTestId('story-card')).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('Search changes'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Manual drift' }));
    // Two scenarios drift by hand: the Argo CD UI edit (ravi, newest) and the scale by kubectl (lee).
    const who = screen.getAllByTestId('story-card').map((c) => /by (\S+?@example\.org)/.exec(c.textContent ?? '')?.[1]);
    expect(who).toEqual(['ravi@example.org', 'lee@example.org']);
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
    ).toEqual(['Applied by GitOps', 'Who started the sync', 'Who started the sync']);
    expect(details.textContent).toContain('likely: the controller wrote it during a sync of the same app');
    expect(details.textContent).toContain('rollback to history id 3 of frontend-app');
    expect(within(details).getAllByTestId('chain-context')).toHaveLength(2);
    const explore = screen.getByText('Raw lines in Explore').closest('a') as HTMLAnchorElement;
    const left = JSON.parse(decodeURIComponent((explore.getAttribute('href') ?? '').split('panes=')[1])).provenance;
    expect(left).toMatchObject({
      datasource: 'loki-main',
      queries: [{ expr: expect.stringMatching(/^\{job="kube-audit"\} \|= "/) }],
    });
  });

  it('moves with the keyboard, names the selected card for screen readers, and opens with Enter', () => {
    render(<ProvenancePanel {...props()} />);
    const list = screen.getByRole('listbox', { name: 'Changes' });
    expect(list).not.toHaveAttribute('aria-activedescendant');
    const selectedCard = () => document.getElementById(list.getAttribute('aria-activedescendant') ?? '');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    const cards = screen.getAllByRole('option');
    expect(cards[1]).toHaveAttribute('aria-selected', 'true');
    expect(selectedCard()).toBe(cards[1]);
    fireEvent.keyDown(list, { key: 'End' });
    expect(selectedCard()?.textContent).toContain(
      effectTextOf(chains.reduce((a, b) => ((a.effect.time ?? 0) <= (b.effect.time ?? 0) ? a : b)))
    );
    fireEvent.keyDown(list, { key: 'Home' });
    expect(selectedCard()).toBe(screen.getAllByRole('option')[0]);
    // 700 px of panel: a page is several cards, and PageUp at the top stays on the first.
    fireEvent.keyDown(list, { key: 'PageDown' });
    const afterPage = Number(selectedCard()?.getAttribute('data-index'));
    expect(afterPage).toBeGreaterThan(1);
    fireEvent.keyDown(list, { key: 'PageUp' });
    expect(selectedCard()?.getAttribute('data-index')).toBe('0');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(screen.getByTestId('chain-details')).toBeInTheDocument();
  });

  it('says when no change matches, highlights hits, and offers a way back', () => {
    render(<ProvenancePanel {...props()} />);
    fireEvent.change(screen.getByLabelText('Search changes'), { target: { value: 'dana rollback' } });
    const cards = screen.getAllByTestId('story-card');
    expect(cards).toHaveLength(1);
    expect([...cards[0].querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['dana', 'rollback', 'dana']);
    fireEvent.change(screen.getByLabelText('Search changes'), { target: { value: 'nobody-did-this' } });
    expect(screen.getByTestId('panel-no-match')).toHaveTextContent('No change matches “nobody-did-this”');
    expect(screen.getByTestId('panel-count')).toHaveTextContent(`showing 0 of ${chains.length}`);
    fireEvent.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(screen.getAllByTestId('story-card').length).toBeGreaterThan(1);
    expect(screen.getByLabelText('Search changes')).toHaveValue('');
  });

  it('shows each notice once, the most severe first, on one line', () => {
    const series = framesOf(chains, events);
    series[0].meta = {
      notices: [
        { severity: 'info', text: 'read 3 pages' },
        { severity: 'warning', text: 'Loki answered 429; retried' },
        { severity: 'warning', text: 'Loki answered 429; retried' },
      ],
    };
    render(<ProvenancePanel {...props({}, series)} />);
    const notices = screen.getAllByTestId('panel-notices');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toHaveAttribute('data-severity', 'warning');
    expect(notices[0]).toHaveTextContent('Loki answered 429; retried+1 more');
  });

  it('on a narrow panel over more than a day, cards keep the date in the short time', () => {
    const timeRange = {
      from: dateTime(START - 2 * 86_400_000),
      to: dateTime(START + 86_400_000),
      raw: { from: '', to: '' },
    };
    render(<ProvenancePanel {...props({ width: 500, height: 600, timeRange })} />);
    expect(screen.getAllByTestId('story-card')[0].textContent).toMatch(/^03\/02 16:00Manual/);
  });

  it('on a small tile: a verdict menu, the timeline behind a toggle, the time of day', () => {
    render(<ProvenancePanel {...props({ width: 364, height: 212 })} />);
    expect(screen.queryByRole('button', { name: 'Manual drift' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Verdicts' })).toBeInTheDocument();
    expect(screen.queryByTestId('timeline')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show the timeline' }));
    expect(screen.getByTestId('timeline')).toBeInTheDocument();
    expect(screen.getAllByTestId('story-card')[0].textContent).toMatch(/^16:00Manual/);
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
    expect(screen.getByTestId('panel-count').textContent).toBe(
      `showing 2 of ${chains.length} (${chains.length - 2} hidden by Max chains)`
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
