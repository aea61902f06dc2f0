import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';

import { scenarioNames, type Chain } from '../../core';
import { scenarioChains } from '../../../tests/support/panelFrames';
import { Timeline } from './Timeline';

const START = Date.UTC(2026, 2, 2, 10);
const chains = scenarioChains(0);
const FROM = START - 600_000;
const TO = START + scenarioNames().length * 2_400_000;

function timeline(over: Partial<React.ComponentProps<typeof Timeline>> = {}) {
  const props = {
    chains,
    from: FROM,
    to: TO,
    width: 1000,
    groupBy: 'object' as const,
    timeZone: 'utc',
    selected: undefined,
    onSelect: jest.fn(),
    onBrush: jest.fn(),
    ...over,
  };
  render(<Timeline {...props} />);
  return props;
}

describe('Timeline', () => {
  it('draws one dot per change, one row per object', () => {
    timeline();
    expect(screen.getAllByTestId('timeline-dot')).toHaveLength(chains.length);
    expect(screen.getByTestId('timeline').textContent).toContain('deployments shop/checkout');
  });

  it('labels its time axis in the dashboard time zone at readable steps', () => {
    timeline({ to: START + 4 * 2_400_000 });
    // 170 min over 812 px: six labels at most, 30 min apart, from 10:00.
    expect(screen.getAllByTestId('timeline-tick').map((t) => t.textContent)).toEqual([
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
      '12:30',
    ]);
  });

  it('groups by actor or by app', () => {
    timeline({ groupBy: 'actor' });
    expect(screen.getByTestId('timeline').textContent).toContain('dana@example.org');
  });

  it('draws many changes at one moment as one dot that says how many', () => {
    const same: Chain[] = Array.from({ length: 500 }, () => chains[0]);
    timeline({ chains: same });
    const dots = screen.getAllByTestId('timeline-dot');
    expect(dots).toHaveLength(1);
    expect(dots[0]).toHaveAttribute('data-count', '500');
    expect(dots[0].getAttribute('aria-label')).toMatch(/^500 changes; Manual: /);
    expect(dots[0].tagName).toBe('rect');
  });

  it('leaves out changes outside the time range', () => {
    timeline({ from: TO + 1, to: TO + 2 });
    expect(screen.queryAllByTestId('timeline-dot')).toHaveLength(0);
  });

  it('is one tab stop whose arrows walk the marks in time, Enter selects, + and − zoom around the mark', () => {
    const p = timeline();
    const marks = screen.getAllByTestId('timeline-dot');
    expect(marks.filter((m) => m.getAttribute('tabindex') === '0')).toHaveLength(1);
    const first = marks.find((m) => m.getAttribute('tabindex') === '0') as HTMLElement;
    act(() => first.focus());
    const svg = screen.getByTestId('timeline');
    fireEvent.keyDown(svg, { key: 'ArrowRight' });
    const second = document.activeElement as HTMLElement;
    expect(second).not.toBe(first);
    expect(Number(second.getAttribute('cx'))).toBeGreaterThanOrEqual(Number(first.getAttribute('cx')));
    expect(second.getAttribute('aria-label')).toMatch(
      /^(GitOps sync|Rollback|Manual drift|Manual|Controller): .+ by .+ at /
    );
    fireEvent.keyDown(svg, { key: 'Enter' });
    expect(p.onSelect).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(svg, { key: '+' });
    const [from, to] = (p.onBrush as jest.Mock).mock.calls[0];
    expect(to - from).toBe((TO - FROM) / 2);
    fireEvent.keyDown(svg, { key: '-' });
    const [from2, to2] = (p.onBrush as jest.Mock).mock.calls[1];
    expect(to2 - from2).toBe((TO - FROM) * 2);
    fireEvent.keyDown(svg, { key: 'End' });
    expect(document.activeElement).toBe(marks.at(-1));
  });

  it('as a strip: one row, no labels, one mark per moment in the verdict that most needs a look', () => {
    timeline({ mode: 'strip', chains: [chains[0], { ...chains[0], verdict: 'manual-drift' }] });
    const marks = screen.getAllByTestId('timeline-dot');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toHaveAttribute('data-verdict', 'manual-drift');
    expect(screen.getByTestId('timeline').textContent).not.toContain('deployments');
  });

  it('selects a change on click, and brushes only a real drag', () => {
    const p = timeline();
    fireEvent.click(screen.getAllByTestId('timeline-dot')[0]);
    expect(p.onSelect).toHaveBeenCalledWith(expect.objectContaining({ verdict: expect.any(String) }));
    const svg = screen.getByTestId('timeline');
    fireEvent.mouseDown(svg, { clientX: 400 });
    fireEvent.mouseUp(svg, { clientX: 402 });
    expect(p.onBrush).not.toHaveBeenCalled();
    fireEvent.mouseDown(svg, { clientX: 400 });
    fireEvent.mouseMove(svg, { clientX: 600 });
    fireEvent.mouseUp(svg, { clientX: 600 });
    const [from, to] = (p.onBrush as jest.Mock).mock.calls[0];
    expect(FROM).toBeLessThan(from);
    expect(from).toBeLessThan(to);
    expect(to).toBeLessThan(TO);
  });
});
