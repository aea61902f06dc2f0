import React from 'react';
import { render, screen } from '@testing-library/react';

import { VerdictBadge } from './VerdictBadge';

describe('VerdictBadge', () => {
  // Every verdict of the model (src/core/model.ts Verdict), with the label the README and the panel promise.
  it.each([
    ['gitops-sync', 'GitOps sync'],
    ['gitops-rollback', 'Rollback'],
    ['manual-drift', 'Manual drift'],
    ['manual', 'Manual'],
    ['controller', 'Controller'],
    ['unknown', 'Unknown'],
  ])('labels %s as “%s”', (verdict, label) => {
    render(<VerdictBadge verdict={verdict} />);
    expect(screen.getByTestId('verdict-badge')).toHaveTextContent(label);
  });

  it('shows a verdict it does not know as it came, as text', () => {
    render(<VerdictBadge verdict="<b>new</b>" />);
    expect(screen.getByTestId('verdict-badge').textContent).toBe('<b>new</b>');
    expect(screen.getByTestId('verdict-badge').querySelector('b')).toBeNull();
  });
});
