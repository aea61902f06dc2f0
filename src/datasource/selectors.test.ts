import { parseSelectorText, readSelector, selectorText, streamSelectors } from './selectors';

describe('stream selector settings', () => {
  it('reads label=value pairs, quoted or not', () => {
    expect(parseSelectorText('job=kube-audit, cluster="prod eu"')).toEqual({ job: 'kube-audit', cluster: 'prod eu' });
    expect(selectorText({ job: 'a', cluster: 'b' })).toBe('job=a, cluster=b');
  });

  it("reads Loki's own syntax, with or without braces, with Loki's string escapes", () => {
    expect(parseSelectorText('{job="kube-audit"}')).toEqual({ job: 'kube-audit' });
    expect(parseSelectorText(' {job="kube-audit", cluster="a,b"} ')).toEqual({ job: 'kube-audit', cluster: 'a,b' });
    expect(parseSelectorText('job="x", cluster=`raw "text"`')).toEqual({ job: 'x', cluster: 'raw "text"' });
    expect(parseSelectorText('{job="a\\"b"}')).toEqual({ job: 'a"b' });
  });

  it('says why it refuses the rest', () => {
    expect(readSelector('{job=~"kube.*"}')).toEqual({ error: 'job=~…: only label="value" matchers can be used' });
    expect(readSelector('job!="x"')).toEqual({ error: 'job!=…: only label="value" matchers can be used' });
    expect(readSelector('{job="x"} |= "y"')).toEqual({
      error: 'Only the stream selector, without line filters or a pipeline',
    });
    for (const bad of ['job', 'job fleet', '1abc=x', 'job=x"} |= "y', '{}', 'sum(rate({job="x"}[1m]))', '']) {
      expect(readSelector(bad)).toEqual({ error: expect.stringMatching(/^Not a stream selector/) });
      expect(parseSelectorText(bad)).toBeUndefined();
    }
  });

  it('falls back to the defaults for what it refuses', () => {
    // A trailing comma is harmless.
    expect(parseSelectorText('job=x,')).toEqual({ job: 'x' });
    expect(streamSelectors({ fleet: 'not valid', argocd: 'app=argo', 'kube-audit': '{job=~"a|b"}' })).toEqual({
      'kube-audit': { job: 'kube-audit' },
      'rancher-audit': { job: 'rancher-audit' },
      argocd: { app: 'argo' },
      fleet: { job: 'fleet' },
    });
  });
});
