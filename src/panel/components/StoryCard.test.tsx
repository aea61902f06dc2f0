import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { scenarioChains } from '../../../tests/support/panelFrames';
import { StoryCard } from './StoryCard';

const rollback = scenarioChains(0).find((c) => c.verdict === 'gitops-rollback')!;

function card(showContext: boolean, onSelect = jest.fn()) {
  render(
    <StoryCard
      chain={rollback}
      selected={false}
      showContext={showContext}
      timeZone="utc"
      onSelect={onSelect}
      style={{}}
    />
  );
  return screen.getByTestId('story-card');
}

describe('StoryCard', () => {
  it('tells who, what, when, through what and why in one card', () => {
    const text = card(true).textContent ?? '';
    expect(text).toContain('2026-03-02 10:10:00');
    expect(screen.getByTestId('verdict-badge')).toHaveTextContent('Rollback');
    expect(text).toContain('deleted deployments production/frontend-app');
    expect(text).toContain('by dana@example.org');
    expect(text).toContain('by the Argo CD controller');
    expect(text).toMatch(/Argo CD frontend-app · rollback · commit [0-9a-f]{12} · started by dana@example.org/);
    expect(text).toContain('context: 6 min before, a sync of frontend-app failed');
  });

  it('leaves the context out when the option says so', () => {
    expect(card(false).textContent).not.toContain('context:');
  });

  it('selects on click', () => {
    const onSelect = jest.fn();
    fireEvent.click(card(true, onSelect));
    expect(onSelect).toHaveBeenCalledTimes(1);
  });
});
