import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { scenarioChains } from '../../../tests/support/panelFrames';
import { ChainDetails } from './ChainDetails';

const rollback = scenarioChains(0).find((c) => c.verdict === 'gitops-rollback')!;

describe('ChainDetails', () => {
  it('shows every link with its confidence and evidence sentences, the context and the raw record', () => {
    render(<ChainDetails chain={rollback} exploreUrl="/explore?left=x" onClose={jest.fn()} />);
    const links = screen.getAllByTestId('chain-link');
    expect(links).toHaveLength(rollback.links.length);
    rollback.links.forEach((l, i) => {
      expect(links[i]).toHaveTextContent(`${l.kind} — confidence ${l.confidence.toFixed(2)}`);
      expect(
        within(links[i])
          .getAllByRole('listitem')
          .map((li) => li.textContent)
      ).toEqual(l.evidence);
    });
    expect(screen.getAllByTestId('chain-context')).toHaveLength(rollback.context.length);
    expect(screen.getByTestId('chain-details')).toHaveTextContent(`Raw record${rollback.effect.raw.origin}`);
    expect(screen.getByRole('link', { name: /Raw lines in Explore/ })).toHaveAttribute('href', '/explore?left=x');
  });

  it('offers no Explore link when the data source gave none', () => {
    render(<ChainDetails chain={rollback} onClose={jest.fn()} />);
    expect(screen.queryByRole('link', { name: /Raw lines in Explore/ })).toBeNull();
  });
});
