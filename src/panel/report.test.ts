import { CHAIN_JSON_KEYS } from '../../tests/support/contract';
import { framesOf, hostileChain, scenarioTrace } from '../../tests/support/panelFrames';
import { reportFileName, reportJson, reportMarkdown, reportZone } from './report';

const { chains, events } = scenarioTrace(0);
const series = framesOf(chains, events);
const rollback = chains.find((c) => c.verdict === 'gitops-rollback')!;

describe('the report of chains (Copy as Markdown, Download JSON)', () => {
  it('Markdown: the story, each link with its evidence, UTC and the zone, the raw lines with Explore links', () => {
    const md = reportMarkdown({ series, chains: [rollback], timeZone: 'Asia/Tokyo' });
    // The scenario's rollback (core/generate/scenarios.ts): dana rolled frontend-app back to 45d9f8a1b2c3.
    expect(md).toMatch(/^# Change provenance report\n/);
    expect(md).toContain('## 1. dana\\@example\\.org\\: delete deployments production\\/frontend\\-app');
    expect(md).toContain('45d9f8a1b2c3');
    // 10:10 UTC is 19:10 in Tokyo.
    expect(md).toContain('| When | 2026\\-03\\-02 10\\:10\\:00 UTC \\(02\\/03\\/2026\\, 19\\:10\\:00 GMT\\+9\\) |');
    for (const l of rollback.links) {
      expect(md).toContain(l.kind.replace(/-/g, '\\-'));
      expect(l.evidence.length).toBeGreaterThan(0);
    }
    expect(md).toContain('### Evidence');
    expect(md).toMatch(
      /\[open in Explore\]\(<http:\/\/localhost\/explore\?schemaVersion=1&panes=[^>]*loki-main[^>]*>\)/
    );
  });

  it('"browser" and the default zone are this browser’s zone (UTC in tests); an unknown zone falls back to UTC', () => {
    expect(reportZone('browser')).toBe('UTC');
    expect(reportZone('')).toBe('UTC');
    expect(reportZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(reportMarkdown({ series, chains: [rollback], timeZone: 'Mars/Olympus' })).toMatch(
      /\| When \| [^(|]* UTC \|/
    );
  });

  it('hostile names are inert Markdown text', () => {
    const evil = hostileChain(rollback);
    const md = reportMarkdown({ series: framesOf([evil], events), chains: [evil], timeZone: 'utc' });
    // Every `<` from the log is backslash-escaped: no HTML tag opens.
    expect(md).not.toMatch(/(?<!\\)<(img|script)/);
    expect(md).toContain('\\<script\\>window\\.\\_\\_pwned\\=2\\<\\/script\\>');
  });

  it('JSON: the trace contract for the chains, and beside each its story, UTC and zone times, raw lines, Explore links', () => {
    const j = reportJson({ series, chains: [rollback], timeZone: 'Asia/Tokyo', question: 'q' });
    expect(Object.keys(j)).toEqual(['report', 'chains', 'stories']);
    expect(j.report).toMatchObject({ timeZone: 'Asia/Tokyo', question: 'q', changes: 1 });
    expect(Object.keys(j.chains[0])).toEqual(CHAIN_JSON_KEYS);
    expect(j.chains[0].gitops?.commit?.startsWith('45d9f8a1b2c3')).toBe(true);
    // The scenario's rollback (core/generate/scenarios.ts): dana deleted frontend-app at 10:10 UTC, 19:10 in Tokyo.
    const story = j.stories[0];
    expect(story.id).toBe(j.chains[0].id);
    expect(story.when).toEqual({ utc: '2026-03-02T10:10:00.000Z', zone: '02/03/2026, 19:10:00 GMT+9' });
    expect(story.what).toBe('delete deployments production/frontend-app');
    expect(story.who).toMatch(/^dana@example\.org \(human\)/);
    expect(story.why).toMatch(/^verdict gitops-rollback; argocd /);
    // Every record behind the chain, each with its raw line as Loki holds it and an Explore link on its data source.
    expect(story.evidence.map((e) => e.role)).toContain('effect');
    for (const e of story.evidence) {
      expect(e.line === null ? e.lineNotKept : JSON.parse(e.line)).toBeTruthy();
      expect(e.explore).toMatch(/^http:\/\/localhost\/explore\?schemaVersion=1&panes=.*loki-main/);
      expect(e.time.zone).toMatch(/GMT\+9$/);
    }
    // A UTC report has no zone times.
    const utc = reportJson({ series, chains: [rollback], timeZone: 'utc' });
    expect(utc.report.timeZone).toBe('utc');
    expect(utc.stories[0].when.zone).toBeNull();
  });

  it('file name: the object of one change, or the count; nothing from a log can make a path', () => {
    expect(reportFileName([rollback], Date.UTC(2026, 2, 2))).toBe(
      `provenance-${rollback.effect.target.name}-2026-03-02T00-00-00-000Z.json`
    );
    expect(reportFileName(chains, 0)).toBe(`provenance-${chains.length}-changes-1970-01-01T00-00-00-000Z.json`);
    expect(reportFileName([hostileChain(rollback)], 0)).toBe(
      'provenance-_script_window.__pwned_2_script_-1970-01-01T00-00-00-000Z.json'
    );
  });
});
