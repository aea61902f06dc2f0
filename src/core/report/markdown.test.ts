/** @jest-environment jsdom */
import { renderMarkdown } from '@grafana/data';
import fc from 'fast-check';

import { kubeAudit } from '../../../tests/support/builders';
import { LEAK_CASES, leakedMarkers } from '../../../tests/support/leakCases';
import { hostileChain, scenarioTrace } from '../../../tests/support/panelFrames';
import { chainToJson } from '../correlate/chainJson';
import { buildChains } from '../correlate/engine';
import { DEFAULT_SELECTORS } from '../logql/questions';
import { chainRecords } from '../loki/chainRecords';
import { explorePanesUrl } from '../loki/explore';
import type { Chain, RawRef } from '../model';
import { parseLines } from '../parse/session';
import { chainsMarkdown, checkTimeZone, markdownBlock, markdownCode, markdownText } from './markdown';

/**
 * The report is read where Markdown is rendered: the oracle is Grafana's own renderer (marked, GitHub-flavoured,
 * with autolinks), asked not to sanitise, so any markup a log value could smuggle in would show as HTML here.
 */
const html = (md: string) => renderMarkdown(md, { noSanitize: true });
const textOf = (h: string) =>
  h
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click me](javascript:alert(1))',
  '![x](https://evil.example/x.png)',
  'https://evil.example/login',
  'www.evil.example',
  'mallory@evil.example',
  '| a | b |',
  '**bold** _em_ ~~del~~ `code`',
  '# heading',
  '<script>alert(2)</script>',
  'line one\nline two\r\n- item',
];

describe('inline text', () => {
  it.each(HOSTILE)('%j renders as the same text, with no element but the paragraph', (value) => {
    const h = html(markdownText(value));
    expect(h.trim().replace(/^<p>|<\/p>$/g, '')).not.toMatch(/<[a-z]/i);
    expect(textOf(h).trim()).toBe(value.replace(/[\r\n]+/g, ' '));
  });

  it('in a table cell a pipe stays in its cell', () => {
    const md = ['| a | b |', '|---|---|', `| ${markdownText('x | y')} | ${markdownText('z')} |`].join('\n');
    expect(html(md).match(/<td>/g)).toHaveLength(2);
  });

  it('property: any printable value renders as its own text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        const h = html(markdownText(value));
        expect(h.replace(/^<p>|<\/p>\s*$/g, '')).not.toMatch(/<[a-z]/i);
        // Whitespace runs are the renderer's to fold: compared folded on both sides.
        const fold = (t: string) => t.replace(/\s+/g, ' ').trim();
        expect(fold(textOf(h))).toBe(fold(value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')));
      }),
      { numRuns: 2000 }
    );
  });
});

describe('code', () => {
  it('a code span holds backticks and markup as text', () => {
    const value = 'a ``` b ` c <b>x</b>';
    const h = html(markdownCode(value));
    expect(h.match(/<code>/g)).toHaveLength(1);
    expect(textOf(h).trim()).toBe(value);
  });

  it('a raw line with fences inside cannot close its block', () => {
    const line = '{"msg":"```\\n</code></pre><img src=x onerror=alert(1)>\\n````"}\n```\n<b>after</b>';
    const h = html(`before\n\n${markdownBlock(line, 'json')}\n\nafter`);
    expect(h.match(/<pre>/g)).toHaveLength(1);
    expect(h).not.toMatch(/<img|<b>/);
    expect(textOf(h)).toContain(line);
  });
});

describe('time zones', () => {
  it('UTC, and the chosen zone beside it (Berlin is UTC+1 in March, before the change to summer time)', () => {
    const json = chainToJson(scenarioTrace(0).chains[0]);
    const chain = { ...json, effect: { ...json.effect, time: '2026-03-02T10:10:00.000Z' } };
    const md = chainsMarkdown([{ chain, records: [] }], { timeZone: 'Europe/Berlin' });
    expect(textOf(html(md))).toMatch(/When\s+2026-03-02 10:10:00 UTC \(02\/03\/2026, 11:10:00 CET\)/);
    expect(textOf(html(chainsMarkdown([{ chain, records: [] }])))).toMatch(/When\s+2026-03-02 10:10:00 UTC\s/);
  });

  it('an unknown zone is a clear error', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
    expect(() => checkTimeZone('utc')).not.toThrow();
  });
});

describe('the report of a scenario', () => {
  const { events, chains } = scenarioTrace(0);
  const byId = new Map(events.map((e) => [e.id, e]));
  const report = (cs: Chain[], lineOf: (raw: RawRef) => string | undefined = () => undefined) =>
    chainsMarkdown(
      cs.map((c) => ({ chain: chainToJson(c), records: chainRecords(c, byId, DEFAULT_SELECTORS, lineOf) })),
      { exploreUrl: (q, t) => explorePanesUrl('loki-uid', q, t, 'https://grafana.example.org/sub') }
    );

  it('holds each chain: who, verdict, every link with its evidence, every context, every record', () => {
    const text = textOf(html(report(chains)));
    expect(text).toContain(`${chains.length} changes`);
    for (const c of chains) {
      expect(text).toContain(c.who.name);
      expect(text).toContain(`verdict ${c.verdict}`);
      for (const l of c.links) {
        expect(text).toContain(l.kind);
        l.evidence.forEach((e) => expect(text).toContain(e));
      }
      c.context.forEach((x) => expect(text).toContain(x.summary));
      for (const r of chainRecords(c, byId, DEFAULT_SELECTORS)) {
        expect(text).toContain(r.logql);
      }
    }
  });

  it('links each record to Explore on the given Grafana, and to nothing else', () => {
    const h = html(report(chains.slice(0, 3)));
    const hrefs = [...h.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) {
      expect(href.startsWith('https://grafana.example.org/sub/explore?schemaVersion=1&panes=')).toBe(true);
      const panes = JSON.parse(decodeURIComponent(href.split('panes=')[1]));
      expect(panes.provenance.datasource).toBe('loki-uid');
    }
  });

  it('a hostile chain renders inert', () => {
    const evil = hostileChain(chains[0]);
    evil.links = [{ ...chains[0].links[0], evidence: ['[x](javascript:alert(1)) <img src=x>'] }];
    const h = html(report([evil], () => '```\n<img src=y onerror=alert(3)>'));
    expect(h).not.toMatch(/<img|<script|javascript:alert\(1\)"/);
    expect(textOf(h)).toContain('<img src=x onerror="window.__pwned=1">');
  });
});

it('what changed: the diff and the links to the commit and the changes since the commit before', () => {
  const { events, chains } = scenarioTrace(0, ['image-change-and-auto-sync-off']);
  const byId = new Map(events.map((e) => [e.id, e]));
  const sync = chains.find((c) => c.effect.verb === 'patch' && c.effect.target.resource === 'deployments') as Chain;
  const md = chainsMarkdown([{ chain: chainToJson(sync), records: chainRecords(sync, byId, DEFAULT_SELECTORS) }]);
  const text = textOf(html(md));
  expect(text).toContain('What changed');
  expect(text).toContain('1 field (complete, from the objects before and after) · 2 noise fields left out');
  expect(text).toContain(
    'spec.template.spec.containers[0].image: "registry.example.org/invoices/api:2.3.1" → "registry.example.org/invoices/api:2.4.0"'
  );
  expect(text).toContain('commit');
  expect(text).toContain('changes since the commit before');
  const hrefs = [...html(md).matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  expect(hrefs).toEqual([
    'https://github.com/acme/invoices-deploy/commit/b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4',
    'https://github.com/acme/invoices-deploy/compare/9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3...b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4',
  ]);
});

it('leak suite: no marker in a report of the crafted lines, raw lines included', () => {
  const lines = LEAK_CASES.flatMap((c) => c.lines).map((text, i) => ({ text, origin: `leak:${i + 1}` }));
  const parsed = parseLines(lines, { keepBodies: true });
  const chains = buildChains(parsed.events, {});
  const byId = new Map(parsed.events.map((e) => [e.id, e]));
  const byOrigin = new Map(lines.map((l) => [l.origin, l.text]));
  const md = chainsMarkdown(
    chains.map((c) => ({
      chain: chainToJson(c),
      records: chainRecords(c, byId, DEFAULT_SELECTORS, (raw) => byOrigin.get(raw.origin ?? '')),
    }))
  );
  expect(md).toContain('```json');
  // The diff cases are in it, Secret keys only as changed.
  expect(textOf(html(md))).toContain('data.password: changed (Secret value not shown)');
  expect(leakedMarkers(md)).toEqual([]);
  expect(leakedMarkers(textOf(html(md)))).toEqual([]);
});

it('a record without its raw line says where it is', () => {
  const [line] = [JSON.stringify(kubeAudit({ verb: 'delete' }))];
  const parsed = parseLines([{ text: line, origin: 'audit.log:7' }]);
  const [c] = buildChains(parsed.events, {});
  const md = chainsMarkdown([
    {
      chain: chainToJson(c),
      records: chainRecords(c, new Map(parsed.events.map((e) => [e.id, e])), DEFAULT_SELECTORS),
    },
  ]);
  expect(textOf(html(md))).toContain('raw line not kept (audit.log:7)');
});
