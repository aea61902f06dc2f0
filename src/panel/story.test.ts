import { scenarioChains } from '../../tests/support/panelFrames';
import { effectText, gitopsText, pathText, searchText } from './story';

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
    expect(proxied && searchText(proxied)).toContain('198.51.100.44');
  });
});
