import React from 'react';
import { render, screen } from '@testing-library/react';

import { buildChains, generate, parseLines, type Chain } from '../../core';
import { ChangeDiff } from './ChangeDiff';

function diffScenario(): Chain[] {
  const g = generate({
    scenarios: ['image-change-and-auto-sync-off'],
    noiseEvents: 0,
    seed: 2,
    start: Date.UTC(2026, 2, 2, 10),
  });
  return buildChains(parseLines([...g.records()].map((r) => ({ text: r.line }))).events);
}

describe('ChangeDiff', () => {
  const chains = diffScenario();
  const sync = chains.find((c) => c.verdict === 'gitops-sync') as Chain;
  const autoSyncOff = chains.find((c) => c.verdict === 'manual') as Chain;

  it('shows each changed field before → after, the request as sent, and the commit links', () => {
    render(<ChangeDiff chain={sync} />);
    expect(screen.getByTestId('change-entry').textContent).toBe(
      'spec.template.spec.containers[0].image: "registry.example.org/invoices/api:2.3.1" → "registry.example.org/invoices/api:2.4.0"'
    );
    expect(screen.getByTestId('change-patch').textContent).toContain('The request as sent (strategic-merge-patch)');
    const links = screen.getByTestId('change-links').querySelectorAll('a');
    expect([...links].map((a) => a.getAttribute('href'))).toEqual([
      'https://github.com/acme/invoices-deploy/commit/b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4',
      'https://github.com/acme/invoices-deploy/compare/9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3...b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4',
    ]);
  });

  it('folds a long value and keeps markup as text', () => {
    const long: Chain = {
      ...autoSyncOff,
      change: {
        ...(autoSyncOff.change as NonNullable<Chain['change']>),
        diff: [{ path: 'metadata.annotations.note', before: '<img src=x onerror=alert(1)>', after: 'y'.repeat(500) }],
      },
    };
    const { container } = render(<ChangeDiff chain={long} />);
    expect(screen.getByTestId('change-folded').querySelector('summary')?.textContent).toBe(`"${'y'.repeat(79)}…`);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('change-entry').textContent).toContain('"<img src=x onerror=alert(1)>"');
  });

  it('a removed field (auto-sync off); a Secret key only as changed; nothing recorded said so', () => {
    const { unmount } = render(<ChangeDiff chain={autoSyncOff} />);
    expect(screen.getByTestId('change-entry').textContent).toMatch(/^spec\.syncPolicy\.automated: removed \(was /);
    unmount();
    const secret: Chain = {
      ...autoSyncOff,
      change: {
        source: 'response-bodies',
        complete: true,
        diff: [{ path: 'data.password', before: '[redacted]', after: '[redacted]', secret: true }],
        patch: null,
        omitted: { count: 0, paths: [] },
      },
    };
    const r = render(<ChangeDiff chain={secret} />);
    expect(screen.getByTestId('change-entry').textContent).toBe('data.password: changed (Secret value not shown)');
    r.unmount();
    render(<ChangeDiff chain={{ ...autoSyncOff, change: null }} />);
    expect(screen.getByTestId('change-diff').textContent).toContain('Not recorded');
  });
});
