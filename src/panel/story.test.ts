import { scenarioChains } from '../../tests/support/panelFrames';
import { countText, effectText, gitopsText, pathText } from './story';

const chains = scenarioChains(0);
const find = (name: string, verb?: string) =>
  chains.find((c) => c.effect.target.name === name && (!verb || c.effect.verb === verb));

describe('story words', () => {
  it('tells the rollback deletion', () => {
    const c = find('frontend-app', 'delete');
    expect(c && effectText(c)).toBe('deleted deployments production/frontend-app');
    expect(c && pathText(c)).toEqual(['by the Argo CD controller']);
    expect(c && gitopsText(c)).toBe(
      'Argo CD frontend-app · rollback · commit 45d9f8a1b2c3 · started by dana@example.org'
    );
  });

  it('tells a shell opened in a pod and a delete through Rancher', () => {
    const exec = find('checkout-7d9f8c6b5-x2k4q');
    expect(exec && effectText(exec)).toBe('opened a shell (exec) in pods shop/checkout-7d9f8c6b5-x2k4q');
    const proxied = find('legacy-worker');
    expect(proxied && pathText(proxied)).toEqual(['through Rancher']);
    expect(proxied?.who.ip).toBe('198.51.100.44');
  });
});

describe('the count', () => {
  it('says how many are shown of how many the query found, and why the rest are not', () => {
    expect(countText(10, 10, 0)).toBe('10 changes');
    expect(countText(4, 4, 6)).toBe('showing 4 of 10 (6 hidden by Max chains)');
    expect(countText(2, 4, 6)).toBe('showing 2 of 10 (6 hidden by Max chains, 2 by the search or verdict filter)');
    expect(countText(0, 3, 0)).toBe('showing 0 of 3 (3 by the search or verdict filter)');
  });
});
