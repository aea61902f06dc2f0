import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { Chain } from '../../core';
import { scenarioChains } from '../../../tests/support/panelFrames';
import { StoryList } from './StoryList';

const base = scenarioChains(0);
const many: Chain[] = Array.from({ length: 2000 }, (_, i) => base[i % base.length]);

function list(selected: number, onSelect = jest.fn(), onOpen = jest.fn()) {
  render(
    <StoryList
      items={many.map((c) => ({ chain: c, repeats: [c] }))}
      selected={selected}
      showContext
      timeZone="utc"
      onSelect={onSelect}
      onOpen={onOpen}
      viewportHeight={600}
    />
  );
  return screen.getByTestId('story-list');
}

describe('StoryList', () => {
  it('renders only the stories in view, not all two thousand', () => {
    list(-1);
    const shown = screen.getAllByTestId('story-card').length;
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(40);
  });

  it('moves with the arrow keys and opens with Enter', () => {
    const onSelect = jest.fn();
    const onOpen = jest.fn();
    const el = list(4, onSelect, onOpen);
    fireEvent.keyDown(el, { key: 'ArrowDown' });
    fireEvent.keyDown(el, { key: 'ArrowUp' });
    fireEvent.keyDown(el, { key: 'Enter' });
    expect(onSelect.mock.calls).toEqual([[5], [3]]);
    expect(onOpen).toHaveBeenCalledWith(4);
  });

  it('stays inside the list at its ends', () => {
    const onSelect = jest.fn();
    fireEvent.keyDown(list(0, onSelect), { key: 'ArrowUp' });
    expect(onSelect).toHaveBeenCalledWith(0);
  });
});
