import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ChainJson } from '../../src/core';
import { runCli as cli } from '../support/cli';
import { LokiEmulator } from '../support/lokiEmulator';

/**
 * Routine system writes left out in Loki: the phase-1 query carries the exclusions as a line filter, Loki
 * drops those lines, and the answer equals the file trace of the same lines — with the default exclusions,
 * with some classes kept, and with --all.
 */

jest.setTimeout(60_000);

let emu: LokiEmulator;
let url: string;
let files: string[];
const RANGE = ['--from', '2026-03-02T09:00:00Z', '--to', '2026-03-02T14:00:00Z'];

interface TraceJson {
  chains: ChainJson[];
  stats: { lines: number; excluded: Record<string, number>; excludedInLoki?: string[] };
}

async function trace(args: string[]): Promise<TraceJson> {
  const r = await cli(['trace', '--format', 'json', ...RANGE, ...args]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as TraceJson;
}

beforeAll(async () => {
  emu = new LokiEmulator();
  url = await emu.start();
  const dir = mkdtempSync(join(tmpdir(), 'provenance-routine-'));
  expect((await cli(['generate', '--out', dir, '--events', '6000', '--seed', '21'])).code).toBe(0);
  files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
  expect((await cli(['push', '--loki', url, '--cluster', 'prod-eu', ...files])).code).toBe(0);
});

afterAll(() => emu.stop());

describe('routine exclusions pushed down to Loki', () => {
  it.each([
    ['default (every class)', [] as string[]],
    ['some classes kept', ['--exclude', 'leases,node-status']],
    ['--all', ['--all']],
  ])('%s: the Loki trace equals the file trace of the same lines', async (_, opts) => {
    const overFiles = await trace([...opts, ...files]);
    const overLoki = await trace([...opts, '--loki', url]);
    expect(overLoki.chains.length).toBe(overFiles.chains.length);
    expect(overLoki.chains).toEqual(overFiles.chains);
  });

  it('the file trace counts what it left out by class; --all leaves nothing out and has those chains', async () => {
    const left = await trace(files);
    const all = await trace(['--all', ...files]);
    const counted = Object.values(left.stats.excluded).reduce((a, b) => a + b, 0);
    expect(Object.keys(left.stats.excluded).sort()).toEqual([
      'endpoints',
      'events',
      'leases',
      'node-status',
      'pod-status',
      'reviews',
    ]);
    expect(all.stats.excluded).toEqual({});
    expect(all.chains.length - left.chains.length).toBe(counted);
    // Nothing a person or a GitOps controller did is among what was left out.
    const story = (cs: ChainJson[]) => cs.filter((c) => c.verdict !== 'controller');
    expect(story(left.chains)).toEqual(story(all.chains));
  });

  it('Loki does the dropping: the phase-1 query has the filter, and far fewer lines come back', async () => {
    const before = emu.requests.length;
    const left = await trace(['--loki', url]);
    const phase1 = emu.requests.slice(before).find((q) => q.path.endsWith('query_range'))?.query ?? '';
    expect(phase1).toContain('!~ "^\\\\{\\"kind\\":\\"Event\\"');
    expect(left.stats.excludedInLoki).toEqual([
      'leases',
      'events',
      'reviews',
      'node-status',
      'pod-status',
      'endpoints',
    ]);
    const all = await trace(['--all', '--loki', url]);
    expect(all.stats.excludedInLoki).toBeUndefined();
    expect(left.stats.lines).toBeLessThan(all.stats.lines / 2);
  });
});
