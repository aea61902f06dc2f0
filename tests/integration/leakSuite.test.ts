import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';

import {
  buildChains,
  chainRecords,
  chainToJson,
  DEFAULT_SELECTORS,
  parseLines,
  redactRawLine,
  redactSecrets,
  type RawLine,
  type RawRef,
} from '../../src/core';
import { runCli } from '../support/cli';
import { kubeAudit } from '../support/builders';
import { ALL_MARKERS, LEAK_CASES, leakedMarkers } from '../support/leakCases';

/**
 * The permanent leak suite (issue 22): every crafted line carries a unique marker where a credential sits; no
 * surface may show one. A failure names the markers (and so the cases) that leaked.
 */

const lines: RawLine[] = LEAK_CASES.flatMap((c) => c.lines).map((text, i) => ({ text, origin: `leak:${i + 1}` }));
const file = join(mkdtempSync(join(tmpdir(), 'leak-')), 'leak.log');
writeFileSync(file, lines.map((l) => l.text).join('\n') + '\n');

function caseOf(marker: string): string {
  return LEAK_CASES.find((c) => c.markers.includes(marker))?.name ?? marker;
}
function expectNoMarkers(surface: string, text: string): void {
  expect({ surface, leaked: leakedMarkers(text).map(caseOf) }).toEqual({ surface, leaked: [] });
}

it('the suite is live: every marker is in its raw lines, and the cases cover every envelope and type', () => {
  const raw = lines.map((l) => l.text).join('\n');
  expect(leakedMarkers(raw)).toEqual([...ALL_MARKERS]);
  expect(LEAK_CASES.length).toBeGreaterThanOrEqual(55);
});

it('raw lines as the drawer and the logs frame show them', () => {
  for (const c of LEAK_CASES) {
    for (const l of c.lines) {
      expectNoMarkers(`raw line: ${c.name}`, redactRawLine(l));
    }
  }
});

describe.each([
  [[] as string[]],
  [['--keep-bodies']],
  [['--skipped-examples']],
  [['--keep-bodies', '--skipped-examples']],
])('CLI parse %j', (flags) => {
  it.each([['table'], ['json']])('%s output and stderr', async (format) => {
    const r = await runCli(['parse', '--format', format, ...flags, file]);
    expect(r.code).toBe(0);
    expectNoMarkers(`parse ${format} ${flags.join(' ')}`, r.out + r.err);
  });
});

it.each([['table'], ['json']])('CLI trace %s output', async (format) => {
  for (const flags of [[], ['--skipped-examples'], ['--diff']]) {
    const r = await runCli(['trace', '--format', format, ...flags, file]);
    expect(r.code).toBe(0);
    expectNoMarkers(`trace ${format}`, r.out + r.err);
  }
});

it('recorded chains and the records behind them (with bodies kept), raw lines included', () => {
  const parsed = parseLines(lines, { keepBodies: true });
  expectNoMarkers('events with bodies', JSON.stringify(parsed.events) + JSON.stringify(parsed.skipped));
  const chains = buildChains(parsed.events, {});
  expect(chains.length).toBeGreaterThan(10);
  const byOrigin = new Map(lines.map((l) => [l.origin, l.text]));
  const lineOf = (raw: RawRef) => byOrigin.get(raw.origin);
  const byId = new Map(parsed.events.map((e) => [e.id, e]));
  const records = chains.flatMap((c) => chainRecords(c, byId, DEFAULT_SELECTORS, lineOf));
  expect(records.filter((r) => r.line !== undefined).length).toBeGreaterThan(10);
  expectNoMarkers('chain JSON', JSON.stringify(chains.map(chainToJson)));
  expectNoMarkers('chains', JSON.stringify(chains));
  expectNoMarkers('chain records', JSON.stringify(records));
});

it('what changed: the diff cases are diffed, Secret keys only as changed, repo tokens nowhere (chain.change, trace --diff)', async () => {
  const chains = buildChains(parseLines(lines).events, {});
  const diffCase = (name: string) => {
    const c = LEAK_CASES.find((x) => x.name.startsWith(name));
    const id = c?.markers[0].replace('LEAK', 'id');
    return chains.filter((x) => id && x.effect.target.name?.endsWith(id)).map((x) => x.change);
  };
  // Live: each write of the diff cases has its change, from the bodies (not only a redacted patch).
  const [, changed] = diffCase('Secret value changed between two recorded writes');
  expect(changed).toMatchObject({ source: 'response-bodies', complete: true });
  expect(changed?.diff).toEqual([{ path: 'data.password', before: '[redacted]', after: '[redacted]', secret: true }]);
  const [, replaced] = diffCase('Secret strategic merge patch with $patch: replace');
  expect(replaced).toMatchObject({ source: 'request-body', patchType: 'strategic-merge-patch' });
  expect(replaced?.diff.every((d) => d.secret)).toBe(true);
  const [, jsonPatched] = diffCase('Secret JSON patch replace');
  expect(jsonPatched).toMatchObject({ source: 'request-body', patchType: 'json-patch' });
  expect(jsonPatched?.diff).toEqual([
    { path: 'data.password', before: '[redacted]', after: '[redacted]', secret: true },
  ]);
  const [, moved] = diffCase('Application repoURL with a token');
  expect(moved?.diff.map((d) => d.path)).toEqual(['spec.source.repoURL']);
  expectNoMarkers('chain.change', JSON.stringify(chains.map((c) => c.change)));
  const table = await runCli(['trace', '--diff', file]);
  expect(table.out).toContain('data.password: changed (Secret value not shown)');
  expectNoMarkers('trace --diff', table.out + table.err);
  // The salted digests that tell a changed Secret key from an unchanged one stay in the process.
  const events = await runCli(['parse', '--format', 'json', file]);
  expect(events.out).toContain('"snapshot"');
  expect(events.out).not.toMatch(/Digests/);
});

describe('property: a Secret at a random depth of a random body never shows', () => {
  const marker = fc.stringMatching(/^[A-Za-z0-9]{16,24}$/).map((s) => `qq${s}`);
  // A Secret in one of the shapes it travels in: an object, a SecretList, JSON text, YAML text, a patch.
  const secretShape = (m: string) =>
    fc.constantFrom<unknown>(
      { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'x' }, data: { k: m } },
      { kind: 'SecretList', items: [{ metadata: { name: 'x' }, stringData: { k: m } }] },
      JSON.stringify({ kind: 'Secret', data: { k: m } }),
      `apiVersion: v1\nkind: Secret\nstringData:\n  k: ${m}\n`,
      {
        metadata: {
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ kind: 'Secret', data: { k: m } }),
          },
        },
      },
      { kind: 'TokenRequest', status: { token: m } },
      { password: m },
      `https://ci:${m}@git.example.org/x.git`
    );
  const embed = (inner: unknown, path: Array<{ key: string; array: boolean; asText: boolean }>) =>
    path.reduceRight<unknown>((acc, step, i) => {
      // At most two levels of JSON text around the Secret: what real bodies carry.
      const v = step.asText && i >= path.length - 2 ? JSON.stringify(acc) : acc;
      return step.array ? [1, v] : { [step.key]: v, other: 'plain' };
    }, inner);
  const step = fc.record({
    key: fc.stringMatching(/^[a-z][a-zA-Z]{0,10}$/),
    array: fc.boolean(),
    asText: fc.boolean(),
  });

  it('in a body (redactSecrets) and in a raw audit line (redactRawLine)', () => {
    fc.assert(
      fc.property(
        marker.chain((m) => fc.tuple(fc.constant(m), secretShape(m), fc.array(step, { maxLength: 40 }))),
        ([m, secret, path]) => {
          const body = embed(secret, path);
          expect(JSON.stringify(redactSecrets(body))).not.toContain(m);
          const line = JSON.stringify(kubeAudit({ level: 'Request', requestObject: body }));
          expect(redactRawLine(line)).not.toContain(m);
          expect(redactRawLine(`2026-03-02T10:15:30Z stdout F ${line}`)).not.toContain(m);
        }
      ),
      { numRuns: 300 }
    );
  });
});

describe('the skip summary shows reasons and positions, no line content', () => {
  const secretText = 'db password is hunter2hunter2';
  const skipFile = join(mkdtempSync(join(tmpdir(), 'skip-')), 'skip.log');
  writeFileSync(
    skipFile,
    [secretText, '{"kind":"Event","requestObject":{"data":{"p":"hunter2hunter2'].join('\n') + '\n'
  );

  it('by default: reason, count, where, and what was wrong in words', async () => {
    const r = await runCli(['parse', skipFile]);
    expect(r.out).toContain('unknown-format');
    expect(r.out).toContain('text of no known format (29 characters)');
    expect(r.out).toContain('JSON stops being valid at character');
    expect(r.out).not.toMatch(/hunter2|password/);
    const json = await runCli(['parse', '--format', 'json', skipFile]);
    expect(json.out).not.toMatch(/hunter2|password/);
  });

  it('--skipped-examples adds the shape of the line, still without its content', async () => {
    const r = await runCli(['parse', '--skipped-examples', skipFile]);
    expect(r.out).toContain('e.g. "aa aaaaaaaa aa aaaaaa9aaaaaa9"');
    expect(r.out).not.toMatch(/hunter2|password/);
  });
});
