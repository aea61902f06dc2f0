import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { framesOf, scenarioTrace } from '../../../tests/support/panelFrames';
import { evidenceOf } from '../explore';
import { ChainDetails } from './ChainDetails';

const { chains, events } = scenarioTrace(0);
const rollback = chains.find((c) => c.verdict === 'gitops-rollback')!;
const frames = framesOf(chains, events);

function leftOf(href: string | null) {
  return JSON.parse(decodeURIComponent((href ?? '').split('panes=')[1])).provenance;
}

describe('ChainDetails', () => {
  it('tells the story of the card: who, by which door, the app, commit and who started it, in the time zone', () => {
    const proxied = chains.find((c) => c.effect.target.name === 'legacy-worker')!;
    const { unmount } = render(
      <ChainDetails chain={proxied} evidence={{ records: [] }} timeZone="Asia/Tokyo" onClose={jest.fn()} />
    );
    expect(screen.getByTestId('chain-who')).toHaveTextContent('kim (human) from 198.51.100.44 · through Rancher');
    // 12:00 UTC is 21:00 in Tokyo.
    expect(screen.getByTestId('chain-change')).toHaveTextContent('at 2026-03-02 21:00:00 +09:00');
    unmount();
    render(<ChainDetails chain={rollback} evidence={{ records: [] }} timeZone="utc" onClose={jest.fn()} />);
    expect(screen.getByTestId('chain-why')).toHaveTextContent(
      'Argo CD frontend-app · rollback · commit 45d9f8a1b2c3 · started by dana@example.org'
    );
    expect(screen.getByTestId('chain-who')).toHaveTextContent('dana@example.org (human) · by the Argo CD controller');
  });

  it('shows every link in words, how sure it is and why, with its evidence sentences, and the context', () => {
    render(
      <ChainDetails chain={rollback} evidence={evidenceOf(frames, rollback)} timeZone="utc" onClose={jest.fn()} />
    );
    const links = screen.getAllByTestId('chain-link');
    expect(links[0]).toHaveTextContent(
      /^Applied by GitOps — likely: the controller wrote it during a sync of the same app/
    );
    expect(links[1]).toHaveTextContent(/^Who started the sync — certain: the GitOps server logged the call/);
    expect(links).toHaveLength(rollback.links.length);
    rollback.links.forEach((l, i) => {
      expect(links[i]).not.toHaveTextContent(l.kind);
      expect(
        within(links[i])
          .getAllByRole('listitem')
          .map((li) => li.textContent)
      ).toEqual(l.evidence);
    });
    expect(screen.getAllByTestId('chain-context')).toHaveLength(rollback.context.length);
  });

  it('lists the records behind the chain, each with where its raw line is and a way to it in Explore', () => {
    render(
      <ChainDetails chain={rollback} evidence={evidenceOf(frames, rollback)} timeZone="utc" onClose={jest.fn()} />
    );
    const records = screen.getAllByTestId('chain-record');
    // The effect, the cause of each link (once each), and the context events.
    const causes = new Set(rollback.links.map((l) => l.to));
    expect(records).toHaveLength(1 + causes.size + rollback.context.length);
    expect(records[0]).toHaveTextContent(/^the change · 2026-03-02 10:10:00 \+00:00 · kube-audit/);
    expect(records[0]).toHaveTextContent(rollback.effect.raw.origin!);
    // The cause of the rollback is in Argo CD's log, the RBAC change before it in the kube-apiserver audit log.
    expect(records.filter((r) => r.textContent?.includes(' · argocd')).length).toBeGreaterThan(0);
    expect(records.some((r) => r.textContent?.includes('update rolebindings argocd/argocd-admin'))).toBe(true);
    for (const r of records) {
      const left = leftOf(
        within(r)
          .getByRole('link', { name: /its raw line in Explore/ })
          .getAttribute('href')
      );
      expect(left.datasource).toBe('loki-main');
      expect(left.queries[0].expr).toMatch(/^\{job="(kube-audit|argocd|rancher-audit|fleet)"\}/);
    }
    const effect = leftOf(screen.getByRole('link', { name: /Raw lines in Explore/ }).getAttribute('href'));
    expect(effect.queries[0].expr).toMatch(/^\{job="kube-audit"\} \|= "/);
  });

  it("shows a record's raw line as text", () => {
    const evidence = evidenceOf(frames, rollback);
    const line = '{"verb":"delete","note":"<img src=x onerror=alert(1)>"}';
    const records = [{ ...evidence.records[0], line }, ...evidence.records.slice(1)];
    render(<ChainDetails chain={rollback} evidence={{ ...evidence, records }} timeZone="utc" onClose={jest.fn()} />);
    const shown = screen.getAllByTestId('chain-record-line');
    expect(shown.map((p) => p.textContent)).toEqual([line]);
    expect(shown[0].querySelector('img')).toBeNull();
  });

  it('offers no Explore links when the data source named no Loki data source, and still says where the line is', () => {
    render(<ChainDetails chain={rollback} evidence={{ records: [] }} timeZone="utc" onClose={jest.fn()} />);
    expect(screen.queryByRole('link', { name: /Explore/ })).toBeNull();
    expect(screen.getByTestId('chain-record')).toHaveTextContent(`effect: ${rollback.effect.raw.origin}`);
  });
});
