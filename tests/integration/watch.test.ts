import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { encodeCheckpoint, newestVersions, type ChainJson, type RecordedChain } from '../../src/core';
import { grafanaAlertRules } from '../../src/cli/provisioning/alertRules';
import { recordedVerdictsQuery } from '../../src/cli/provisioning/dashboard';
import { clusterSelectors } from '../../src/core';
import { runCli as cli } from '../support/cli';
import { evaluateRule, type ProvisionedRule } from '../support/grafanaAlertEval';
import { LokiEmulator, type EmulatorOptions } from '../support/lokiEmulator';
import { WATCH_FROM, WATCH_SCENARIOS, WATCH_UNTIL, watchArgs as watchArgsOf } from '../support/watchRun';

/**
 * `provenance watch` over generated scenarios on the strict emulator: a clean run records what `trace --loki`
 * answers; a second run, a run through Loki faults, a run killed and restarted, a run stopped by SIGTERM and
 * restarted all leave the recorded stream byte for byte equal to the clean run's — no gap, no duplicate.
 */

const SCENARIOS = WATCH_SCENARIOS;
const FROM = WATCH_FROM;
const UNTIL = WATCH_UNTIL;
const RECORDED = { job: 'change-provenance' };
let dir: string;
let files: string[];
let clean: string[];
let cleanProgress: string[];
const PROGRESS = { job: 'change-provenance-progress' };
let cleanEmu: LokiEmulator;
let cleanUrl: string;

async function loaded(options: EmulatorOptions = {}): Promise<{ emu: LokiEmulator; url: string }> {
  const emu = new LokiEmulator(options);
  const url = await emu.start();
  const pushed = await cli(['push', '--loki', url, '--cluster', 'prod-eu', ...files]);
  expect(pushed.code).toBe(0);
  return { emu, url };
}

const watchArgs = (url: string, ...more: string[]) => watchArgsOf(url, UNTIL, ...more);

/** `trace --recorded --format json` from FROM to `to` on the recorded prod-eu stream. */
const recordedTrace = (url: string, to: string) =>
  cli(['trace', '--format', 'json', '--loki', url, '--recorded', '--cluster', 'prod-eu', '--from', FROM, '--to', to]);

const pushes = (emu: LokiEmulator) => emu.requests.filter((r) => r.path === '/loki/api/v1/push').length;

/** Starts the binary in a child process; resolves with its exit once `stopWhen` holds and `signal` was sent. */
function runChild(
  args: string[],
  stopWhen: () => boolean,
  signal: NodeJS.Signals
): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  const child = spawn(process.execPath, [join(__dirname, '../../bin/provenance.cjs'), ...args], { stdio: 'pipe' });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setInterval(() => {
    if (stopWhen()) {
      clearInterval(timer);
      child.kill(signal);
    }
  }, 5);
  return new Promise((resolve) =>
    child.on('exit', (code, sig) => {
      clearInterval(timer);
      resolve({ code, signal: sig, err });
    })
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provenance-watch-'));
  const g = await cli(['generate', '--out', dir, '--events', '1500', '--seed', '4', '--scenario', SCENARIOS]);
  expect(g.code).toBe(0);
  files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
  ({ emu: cleanEmu, url: cleanUrl } = await loaded());
  const r = await cli(watchArgs(cleanUrl));
  expect(r.code).toBe(0);
  clean = cleanEmu.dump(RECORDED);
  cleanProgress = cleanEmu.dump(PROGRESS);
  // One progress entry per window: 3 h of 10 min windows.
  expect(cleanProgress).toHaveLength(18);
}, 120_000);

afterAll(() => cleanEmu.stop());

describe('provenance watch', () => {
  it('records one entry per chain: what trace --loki answers for the range, in job/verdict/cluster streams', async () => {
    const t = await cli([
      'trace',
      '--format',
      'json',
      '--loki',
      cleanUrl,
      '--from',
      FROM,
      '--to',
      '2026-03-02T12:29:59.999Z',
    ]);
    expect(t.code).toBe(0);
    const traced = (JSON.parse(t.out) as { chains: ChainJson[] }).chains;
    const lines = clean.map((d) => JSON.parse(d.slice(d.indexOf(' {') + 1, d.lastIndexOf(' {'))) as RecordedChain);
    const recorded = lines.map(({ records: _r, ...c }) => c);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(traced.length).toBeGreaterThan(10);
    expect(recorded.sort(byId)).toEqual([...traced].sort(byId));
    expect(
      new Set(
        cleanEmu
          .streamLabels()
          .filter((l) => l.job === 'change-provenance')
          .map((l) => l.verdict)
      )
    ).toEqual(new Set(traced.map((c) => c.verdict)));
    // The entry time is the effect's; person, app and namespace ride in structured metadata.
    const first = clean.find((d) => d.includes('"verdict":"manual-drift"')) as string;
    const [, ns] = first.split(' ');
    const chain = lines.find((c) => c.verdict === 'manual-drift') as RecordedChain;
    expect(Number(BigInt(ns) / BigInt(1_000_000))).toBe(Date.parse(chain.effect.time as string));
    expect(JSON.parse(first.slice(first.lastIndexOf(' {') + 1))).toMatchObject({
      chain_id: chain.id,
      person: chain.who.name,
      namespace: chain.effect.target.namespace,
    });
    expect(chain.records?.[0]).toMatchObject({ role: 'effect', id: chain.id });
  });

  it('a second run over the same range sends nothing and changes nothing', async () => {
    const before = pushes(cleanEmu);
    // Resuming, it has nothing left to do; from a state file set back to the start, it correlates it all again.
    expect((await cli(watchArgs(cleanUrl))).err).toMatch(/^starting at 2026-03-02T12:30:00.000Z \(recorded\)/);
    const state = join(dir, 'state-again.json');
    writeFileSync(state, encodeCheckpoint(Date.parse(FROM), 'prod-eu'));
    const r = await cli(watchArgs(cleanUrl, '--state', state));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(` 0 chains written, ${clean.length} already recorded, 0 re-recorded`));
    expect(pushes(cleanEmu)).toBe(before);
    expect(cleanEmu.dump(RECORDED)).toEqual(clean);
  }, 60_000);

  it('Loki failing for a while (503s, 429, dropped connections on reads and pushes): retried, nothing skipped', async () => {
    const { emu, url } = await loaded();
    try {
      emu.failNext({ status: 503 }, { status: 429 }, { drop: true });
      emu.failPushNext({ status: 503 }, { drop: true }, { status: 500 }, { drop: true });
      const r = await cli(watchArgs(url));
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/[1-9]\d* failed attempts\n$/);
      expect(r.err).toMatch(/failed \(.*\); trying again in \d+ ms/);
      expect(emu.dump(RECORDED)).toEqual(clean);
      expect(emu.dump(PROGRESS)).toEqual(cleanProgress);
    } finally {
      await emu.stop();
    }
  }, 120_000);

  it.each([
    ['with a state file', true],
    ['without one (resumes from the progress recorded in Loki)', false],
  ])(
    'killed mid-way and started again %s: the same streams as one clean run',
    async (_name, withState) => {
      const { emu, url } = await loaded();
      try {
        const state = join(dir, `state-${String(withState)}.json`);
        const args = watchArgs(url, ...(withState ? ['--state', state] : []));
        const base = pushes(emu);
        const killed = await runChild(args, () => pushes(emu) >= base + 4, 'SIGKILL');
        expect(killed.signal).toBe('SIGKILL');
        const partial = emu.dump(RECORDED);
        expect(partial.length).toBeGreaterThan(0);
        expect(partial.length).toBeLessThan(clean.length);
        const r = await cli(args);
        expect(r.code).toBe(0);
        expect(r.err).toMatch(withState ? /^starting at \S+ \(checkpoint\)/ : /^starting at \S+ \(recorded\)/);
        expect(emu.dump(RECORDED)).toEqual(clean);
        expect(emu.dump(PROGRESS)).toEqual(cleanProgress);
      } finally {
        await emu.stop();
      }
    },
    120_000
  );

  it('SIGTERM mid-window stops cleanly; the next start finishes the window', async () => {
    const { emu, url } = await loaded();
    try {
      const state = join(dir, 'state-term.json');
      const base = pushes(emu);
      const stopped = await runChild(watchArgs(url, '--state', state), () => pushes(emu) >= base + 3, 'SIGTERM');
      expect(stopped.code).toBe(0);
      expect(stopped.err).toMatch(/SIGTERM: stopping/);
      expect(emu.dump(RECORDED).length).toBeLessThan(clean.length);
      expect((await cli(watchArgs(url, '--state', state))).code).toBe(0);
      expect(emu.dump(RECORDED)).toEqual(clean);
      expect(emu.dump(PROGRESS)).toEqual(cleanProgress);
    } finally {
      await emu.stop();
    }
  }, 120_000);

  it('a Loki with a small max_line_size: chains are shortened (records first), none is dropped', async () => {
    const { emu, url } = await loaded({ maxLineSize: 3000 });
    try {
      const r = await cli(watchArgs(url));
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/ [1-9]\d* shortened, 0 refused/);
      const got = emu.dump(RECORDED);
      const lines = got.map((d) => d.slice(d.indexOf(' {') + 1, d.lastIndexOf(' {')));
      // Every chain of the clean run is there (a chain shortened differently in a later, overlapping window may be
      // recorded once more, as a new revision).
      const ids = (ls: string[]) => [...newestVersions(ls).keys()].sort();
      expect(ids(lines)).toEqual(ids(clean.map((d) => d.slice(d.indexOf(' {') + 1, d.lastIndexOf(' {')))));
      expect(Math.max(...lines.map((l) => Buffer.byteLength(l)))).toBeLessThanOrEqual(3000);
      const cut = lines.map((l) => JSON.parse(l) as RecordedChain).filter((c) => c.shortened);
      expect(cut.length).toBeGreaterThan(0);
      expect(cut.every((c) => c.shortened?.[0] === 'records.line')).toBe(true);
      // The chains themselves are intact: the newest version of each has the clean run's verdict and person.
      const want = newestVersions(clean.map((d) => d.slice(d.indexOf(' {') + 1, d.lastIndexOf(' {'))));
      for (const [id, v] of newestVersions(lines)) {
        expect({ id, verdict: v.chain.verdict, who: v.chain.who }).toEqual({
          id,
          verdict: want.get(id)?.chain.verdict,
          who: want.get(id)?.chain.who,
        });
      }
    } finally {
      await emu.stop();
    }
  }, 120_000);
});

describe('trace --recorded', () => {
  const traced = async (url: string, to: string) => {
    const t = await cli(['trace', '--format', 'json', '--loki', url, '--from', FROM, '--to', to]);
    return (JSON.parse(t.out) as { chains: ChainJson[] }).chains;
  };

  it('reads the recorded chains instead of correlating: the same answer, from a few queries', async () => {
    const to = '2026-03-02T12:29:59.999Z';
    const before = cleanEmu.requests.length;
    const r = await recordedTrace(cleanUrl, to);
    expect(r.code).toBe(0);
    const asked = cleanEmu.requests.length - before;
    // The progress and chain streams, in 1 h pieces; correlating the same range asks several times as often.
    expect(asked).toBeLessThanOrEqual(8);
    expect(r.err).toBe(`note: ${FROM.replace('Z', '.000Z')} to ${to}: recorded chains\n`);
    const got = JSON.parse(r.out) as { chains: ChainJson[]; stats: { recorded: number; live: number } };
    expect(got.stats).toMatchObject({ recorded: got.chains.length, live: 0 });
    const live = cleanEmu.requests.length;
    expect(got.chains).toEqual(await traced(cleanUrl, to));
    expect(cleanEmu.requests.length - live).toBeGreaterThan(3 * asked);
  });

  it('falls back to live correlation for the part not recorded yet, and says so', async () => {
    const { emu, url } = await loaded();
    try {
      const half = watchArgs(url).map((a) => (a === UNTIL ? '2026-03-02T11:00:00Z' : a));
      expect((await cli(half)).code).toBe(0);
      const to = '2026-03-02T12:29:59.999Z';
      const r = await recordedTrace(url, to);
      expect(r.code).toBe(0);
      expect(r.err).toContain(
        'note: 2026-03-02T09:30:00.000Z to 2026-03-02T10:59:59.999Z: recorded chains\nnote: 2026-03-02T11:00:00.000Z to 2026-03-02T12:29:59.999Z is not recorded (yet): correlated live\n'
      );
      const got = JSON.parse(r.out) as { chains: ChainJson[]; stats: { recorded: number; live: number } };
      expect(got.stats.recorded).toBeGreaterThan(0);
      expect(got.stats.live).toBeGreaterThan(0);
      expect(got.chains).toEqual(await traced(url, to));
    } finally {
      await emu.stop();
    }
  }, 60_000);
});

/** Does the provisioned rule fire at any 5-minute step of the range, evaluated as Grafana does, on this Loki? */
async function fires(url: string, ruleId: string): Promise<boolean> {
  const file = grafanaAlertRules('loki', clusterSelectors('prod-eu'));
  const rules = JSON.parse(JSON.stringify(file).replace(/\$\$/g, '$')) as typeof file;
  const rule = rules.groups[0].rules.find((r) => r.labels?.rule === ruleId) as ProvisionedRule;
  let fired = false;
  for (let t = Date.parse(FROM); t <= Date.parse(UNTIL); t += 5 * 60_000) {
    const e = await evaluateRule(rule, t, async (_uid, model, timeMs) => {
      const q = new URLSearchParams({ query: String(model.expr), time: `${timeMs}000000` });
      const body = (await (await fetch(`${url}/loki/api/v1/query?${q}`)).json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
    });
    expect(e.state).not.toBe('Error');
    fired ||= e.state === 'Alerting';
  }
  return fired;
}

describe('alert rules on recorded chains', () => {
  it('recorded-manual-drift fires on the drift scenario; recorded-rancher-no-person stays quiet while Rancher is logged', async () => {
    expect(await fires(cleanUrl, 'recorded-manual-drift')).toBe(true);
    expect(await fires(cleanUrl, 'recorded-rancher-no-person')).toBe(false);
  }, 60_000);

  it('recorded-rancher-no-person fires when the Rancher audit log is missing', async () => {
    const emu = new LokiEmulator();
    const url = await emu.start();
    try {
      const noRancher = files.filter((f) => !f.endsWith('rancher-audit.log'));
      expect((await cli(['push', '--loki', url, '--cluster', 'prod-eu', ...noRancher])).code).toBe(0);
      expect((await cli(watchArgs(url))).code).toBe(0);
      expect(await fires(url, 'recorded-rancher-no-person')).toBe(true);
    } finally {
      await emu.stop();
    }
  }, 120_000);
});

/** The dashboard's recorded-verdicts query over the whole recorded range, as an instant query: count by verdict. */
async function recordedVerdicts(url: string): Promise<Record<string, number>> {
  const q = new URLSearchParams({ query: recordedVerdictsQuery('3h'), time: `${Date.parse(UNTIL)}000000` });
  const body = (await (await fetch(`${url}/loki/api/v1/query?${q}`)).json()) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return Object.fromEntries(body.data.result.map((r) => [r.metric.verdict, Number(r.value[1])]));
}

describe('the dashboard panel of recorded verdicts', () => {
  it('counts each recorded chain once, by verdict, from the stream labels', async () => {
    const want: Record<string, number> = {};
    for (const entry of clean) {
      // `<stream> <ns> <line> <metadata>`: the verdict label of the stream.
      const v = /verdict="([^"]+)"/.exec(entry)![1];
      want[v] = (want[v] ?? 0) + 1;
    }
    expect(Object.keys(want).length).toBeGreaterThan(1);
    expect(await recordedVerdicts(cleanUrl)).toEqual(want);
  });
});

describe('a chain whose answer changes later', () => {
  it('is re-recorded one revision up, only that one; trace --recorded shows the newest', async () => {
    const emu = new LokiEmulator();
    const url = await emu.start();
    try {
      const rancher = files.filter((f) => f.endsWith('rancher-audit.log'));
      const others = files.filter((f) => !f.endsWith('rancher-audit.log'));
      expect((await cli(['push', '--loki', url, '--cluster', 'prod-eu', ...others])).code).toBe(0);
      expect((await cli(watchArgs(url))).code).toBe(0);
      const before = emu.dump(RECORDED);
      // The Rancher records arrive late; the windows are correlated again (as --recheck does for live windows).
      expect((await cli(['push', '--loki', url, '--cluster', 'prod-eu', ...rancher])).code).toBe(0);
      const state = join(dir, 'state-late.json');
      writeFileSync(state, encodeCheckpoint(Date.parse(FROM), 'prod-eu'));
      const again = await cli(watchArgs(url, '--state', state));
      expect(again.code).toBe(0);
      const rerecorded = Number(/ (\d+) re-recorded/.exec(again.out)?.[1]);
      expect(rerecorded).toBeGreaterThan(0);
      const after = emu.dump(RECORDED);
      expect(after.length).toBe(before.length + rerecorded);
      expect(after.filter((d) => !before.includes(d)).every((d) => d.includes('"revision":2'))).toBe(true);
      // The dashboard counts each chain once, at its first recording, re-recorded or not.
      const first = Object.values(await recordedVerdicts(url)).reduce((a, b) => a + b, 0);
      expect(first).toBe(before.length);
      // The newest answers equal the clean run's (which had the Rancher records from the start).
      const got = await recordedTrace(url, '2026-03-02T12:29:59.999Z');
      const want = await recordedTrace(cleanUrl, '2026-03-02T12:29:59.999Z');
      expect((JSON.parse(got.out) as { chains: ChainJson[] }).chains).toEqual(
        (JSON.parse(want.out) as { chains: ChainJson[] }).chains
      );
    } finally {
      await emu.stop();
    }
  }, 120_000);
});

describe('/metrics and /healthz', () => {
  it('expose lines read, chains written, retries, failed windows and lag; healthz says ok, then stuck', async () => {
    const { emu, url } = await loaded();
    try {
      emu.failPushNext({ status: 503 });
      const args = watchArgs(url, '--listen', '0').filter((a, i, all) => a !== '--until' && all[i - 1] !== '--until');
      const child = spawn(process.execPath, [join(__dirname, '../../bin/provenance.cjs'), ...args], { stdio: 'pipe' });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const until = async (test: () => boolean) => {
        for (const deadline = Date.now() + 60_000; !test();) {
          if (Date.now() > deadline || child.exitCode !== null) {
            child.kill('SIGKILL');
            throw new Error(`watch did not get there; it said:\n${err.slice(-3000)}`);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      try {
        await until(() => /port (\d+)/.test(err) && /window 2026-03-02T11:/.test(err));
        const port = /port (\d+)/.exec(err)![1];
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(Number(/^provenance_watch_lines_read_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(100);
        expect(Number(/^provenance_watch_chains_written_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
        expect(Number(/^provenance_watch_retries_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
        expect(metrics).toMatch(/^provenance_watch_windows_failed_total 0$/m);
        expect(Number(/^provenance_watch_lag_seconds (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(86_400);
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect([ok.status, await ok.text()]).toEqual([200, expect.stringMatching(/^ok: recorded up to 2026-03-02T1/)]);
        // Loki refuses every read from now on: after 5 failures in a row the watcher says it is stuck.
        emu.failNext(...Array.from({ length: 200 }, () => ({ status: 500 })));
        await until(() => (err.match(/trying again/g) ?? []).length >= 5);
        const stuck = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect([stuck.status, await stuck.text()]).toEqual([
          503,
          expect.stringMatching(/^stuck: \d+ failures in a row/),
        ]);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.on('exit', r));
      }
    } finally {
      await emu.stop();
    }
  }, 120_000);
});
