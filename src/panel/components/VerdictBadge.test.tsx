import React from 'react';
import { render, screen } from '@testing-library/react';

import { VERDICT_LABEL } from '../story';
import { VerdictBadge } from './VerdictBadge';

describe('VerdictBadge', () => {
  it.each(Object.entries(VERDICT_LABEL))('labels %s as “%s”', (verdict, label) => {
    render(<VerdictBadge verdict={verdict} />);
    expect(screen.getByTestId('verdict-badge')).toHaveTextContent(label);
  });

  it('shows a verdict it does not know as it came, as text', () => {
    render(<VerdictBadge verdict="<b>new</b>" />);
    expect(screen.getByTestId('verdict-badge').textContent).toBe('<b>new</b>');
    expect(screen.getByTestId('verdict-badge').querySelector('b')).toBeNull();
  });
});
