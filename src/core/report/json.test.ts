/** @jest-environment jsdom */
import { scenarioTrace } from '../../../tests/support/panelFrames';
import { chainToJson } from '../correlate/chainJson';
import type { ChainRecord } from '../model';
import { chainsReportJson } from './json';

const { chains } = scenarioTrace(0);
const rollback = chainToJson(chains.find((c) => c.verdict === 'gitops-rollback')!);

/** A record behind the chain, written here: an effect at 10:10 UTC with or without its raw line. */
const record = (line?: string): ChainRecord => ({
  id: 'r1',
  role: 'effect',
  time: Date.UTC(2026, 2, 2, 10, 10),
  source: 'kube-audit',
  actor: 'dana@example.org',
  verb: 'delete',
  object: 'deployments production/frontend-app',
  raw: { labels: { job: 'kube-audit' }, origin: 'kube-audit.log:12' },
  logql: '{job="kube-audit"} |= "x"',
  ...(line === undefined ? {} : { line }),
});

describe('chainsReportJson', () => {
  it('keeps only links we made: an Explore URL that is not http(s) or a path is left out, not written', () => {
    const r = chainsReportJson([{ chain: rollback, records: [record('{"a":1}')] }], {
      exploreUrl: () => 'javascript:alert(1)',
    });
    expect(r.stories[0].evidence[0].explore).toBeNull();
    const ok = chainsReportJson([{ chain: rollback, records: [record('{"a":1}')] }], {
      exploreUrl: (logql, t) => `/explore?q=${encodeURIComponent(logql)}&t=${t}`,
    });
    expect(ok.stories[0].evidence[0].explore).toBe(
      '/explore?q=%7Bjob%3D%22kube-audit%22%7D%20%7C%3D%20%22x%22&t=1772446200000'
    );
  });

  it('a record whose raw line was not kept says where it was; without generatedAt or a zone the header says so', () => {
    const r = chainsReportJson([{ chain: rollback, records: [record()] }]);
    expect(r.stories[0].evidence[0]).toMatchObject({ line: null, lineNotKept: 'kube-audit.log:12', explore: null });
    expect(r.stories[0].evidence[0].time).toEqual({ utc: '2026-03-02T10:10:00.000Z', zone: null });
    expect(r.report).toEqual({ generatedAt: null, timeZone: 'utc', question: null, changes: 1 });
  });

  it('times in the zone asked for; an unknown zone is an error, not a report with wrong times', () => {
    const r = chainsReportJson([{ chain: rollback, records: [record('x')] }], {
      timeZone: 'America/New_York',
      generatedAt: Date.UTC(2026, 2, 3),
    });
    // 10:10 UTC on 2 March is 05:10 in New York (UTC−5; en-GB's short zone name for it is GMT-5).
    expect(r.stories[0].evidence[0].time.zone).toBe('02/03/2026, 05:10:00 GMT-5');
    expect(r.report.generatedAt).toBe('2026-03-03T00:00:00.000Z');
    expect(() => chainsReportJson([], { timeZone: 'Mars/Olympus' })).toThrow('unknown time zone "Mars/Olympus"');
  });
});
