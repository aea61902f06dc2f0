import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';

import { CASCADE_SCENARIOS, cascadeTrace, framesOf, SCENARIO_START } from '../../../tests/support/panelFrames';
import { panelProps } from '../../../tests/support/panelProps';
import { ProvenancePanel } from './ProvenancePanel';

const { chains, events, truth } = cascadeTrace();

const props = () =>
  panelProps(framesOf(chains, events), {
    from: SCENARIO_START - 600_000,
    to: SCENARIO_START + CASCADE_SCENARIOS.length * 2_400_000,
  });

// From the generator's ground truth: the Rancher delete of deployments shop/catalog set off the ReplicaSet and
// Pod deletes of the garbage collector.
const del = truth.find((t) => t.scenario === 'rancher-delete-cascade' && t.effect.resource === 'deployments');
const delConsequences = truth.filter((t) => t.scenario === 'rancher-delete-cascade' && t.cause);
const pods = delConsequences.filter((t) => t.effect.resource === 'pods');
const folded = truth.filter((t) => t.cause).length;
const cardOf = (text: string) => screen.getAllByTestId('story-card').find((c) => c.textContent?.includes(text));

describe('the panel folds consequences under their cause', () => {
  it('one card per cause; "and N consequences: kinds" on it; the count says what was folded', () => {
    render(<ProvenancePanel {...props()} />);
    expect(del && pods.length).toBeTruthy();
    const cards = screen.getAllByTestId('story-card');
    expect(cards).toHaveLength(chains.length - folded);
    // No card tells a consequence on its own.
    for (const t of truth.filter((x) => x.cause)) {
      expect(
        cards.filter((c) => c.textContent?.includes(`${t.effect.resource} ${t.effect.namespace}/${t.effect.name}`))
      ).toEqual([]);
    }
    const card = cardOf(`deleted deployments shop/${del?.effect.name}`) as HTMLElement;
    expect(within(card).getByTestId('consequences-toggle').textContent).toBe(
      `and ${delConsequences.length} consequences: 1 ReplicaSet, ${pods.length} Pods`
    );
    expect(screen.getByTestId('panel-count').textContent).toBe(
      `${chains.length - folded} changes, and ${folded} consequences folded under them`
    );
  });

  it('expands on the card without opening the details; each consequence with its time and controller', () => {
    render(<ProvenancePanel {...props()} />);
    const card = cardOf(`deleted deployments shop/${del?.effect.name}`) as HTMLElement;
    const toggle = within(card).getByTestId('consequences-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(screen.queryByTestId('chain-details')).toBeNull();
    const list = within(cardOf(`deleted deployments shop/${del?.effect.name}`) as HTMLElement).getByTestId(
      'card-consequence-list'
    );
    const rows = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(rows).toHaveLength(delConsequences.length);
    for (const p of pods) {
      expect(rows).toContainEqual(
        expect.stringContaining(`deleted pods shop/${p.effect.name} · by generic-garbage-collector`)
      );
    }
    fireEvent.click(
      within(cardOf(`deleted deployments shop/${del?.effect.name}`) as HTMLElement).getByTestId('consequences-toggle')
    );
    expect(screen.queryByTestId('card-consequence-list')).toBeNull();
  });

  it('a search for a Pod finds the change that removed it, and says how many of its consequences match', () => {
    render(<ProvenancePanel {...props()} />);
    fireEvent.change(screen.getByLabelText('Search changes'), { target: { value: pods[0].effect.name } });
    const cards = screen.getAllByTestId('story-card');
    expect(cards).toHaveLength(1);
    expect(cards[0].textContent).toContain(`deleted deployments shop/${del?.effect.name}`);
    expect(within(cards[0]).getByTestId('consequences-toggle').textContent).toContain('— 1 match the search');
    expect(screen.getByTestId('panel-count').textContent).toBe(
      `showing 1 of ${chains.length - folded} (${chains.length - folded - 1} by the search or verdict filter), and ${delConsequences.length} consequences folded under them`
    );
  });

  it('the details list the blast radius and every consequence, grouped by kind', () => {
    render(<ProvenancePanel {...props()} />);
    fireEvent.click(cardOf(`deleted deployments shop/${del?.effect.name}`) as HTMLElement);
    fireEvent.click(cardOf(`deleted deployments shop/${del?.effect.name}`) as HTMLElement);
    const drawer = screen.getByTestId('chain-consequences');
    expect(within(drawer).getAllByTestId('chain-consequence')).toHaveLength(delConsequences.length);
    expect(
      within(drawer)
        .getAllByTestId('chain-consequence-kind')
        .map((k) => k.querySelector('strong')?.textContent)
    ).toEqual(['ReplicaSets (1 write)', `Pods (${pods.length} writes)`]);
    const radius = within(drawer).getByTestId('chain-blast-radius').textContent;
    expect(radius).toContain(`deleted ${pods.length} Pods`);
  });
});
