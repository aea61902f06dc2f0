import { parseSelectorText, selectorText, streamSelectors } from './selectors';

describe('stream selector settings', () => {
  it('reads label=value pairs, quoted or not', () => {
    expect(parseSelectorText('job=kube-audit, cluster="prod eu"')).toEqual({ job: 'kube-audit', cluster: 'prod eu' });
    expect(selectorText({ job: 'a', cluster: 'b' })).toBe('job=a, cluster=b');
  });

  it('refuses anything else, and falls back to the defaults', () => {
    for (const bad of ['job', '{job="x"}', '1abc=x', 'job=x"} |= "y', '']) {
      expect(parseSelectorText(bad)).toBeUndefined();
    }
    // A trailing comma is harmless.
    expect(parseSelectorText('job=x,')).toEqual({ job: 'x' });
    expect(streamSelectors({ fleet: 'not valid', argocd: 'app=argo' })).toEqual({
      'kube-audit': { job: 'kube-audit' },
      'rancher-audit': { job: 'rancher-audit' },
      argocd: { app: 'argo' },
      fleet: { job: 'fleet' },
    });
  });
});
