import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { runCli } from '../../../tests/support/cli';
import {
  ALL_ROUTINE,
  DEFAULT_MAX_LINE_BYTES,
  excludeRoutine,
  isEffect,
  ParseSession,
  routineClassOf,
  type ParseOptions,
  type ChangeEvent,
  type ParseSummary,
} from '../../core';
import { readRawLines } from '../readLines';
import { parseInThreads } from './parseInThreads';

/**
 * Threads change how fast, never what: `--jobs N` answers byte for byte what one session given every line in
 * order answers (read here with readRawLines, the way the CLI read before threads), over the generator's
 * traffic (routine noise in real proportions) and over the same traffic mutated: cut, broken, binary, overlong,
 * CRLF and duplicate lines, and reads whose audit ID a later write reuses in another thread's range.
 */

const RANGE = 64 * 1024;

async function generated(events: number, seed: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-threads-'));
  const r = await runCli([
    'generate',
    '--scenario',
    'all',
    '--out',
    dir,
    '--events',
    String(events),
    '--seed',
    String(seed),
  ]);
  expect(r.code).toBe(0);
  return dir;
}

/** The generator's audit lines, mutated in every way the readers and the session must count alike. */
function mutated(auditLog: string): string {
  const lines = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  const reads = lines.filter((l) => /"verb":"(get|list|watch)"/.test(l) && l.includes('"stage":"ResponseComplete"'));
  lines.forEach((line, i) => {
    if (i % 97 === 0) {
      out.push(line.slice(0, line.length >> 1)); // cut by a shipper
    } else if (i % 89 === 0) {
      out.push(line.replace('{"kind"', '{"kind"]')); // broken JSON
    } else if (i % 83 === 0) {
      out.push(line + '\r'); // CRLF
    } else if (i % 79 === 0) {
      out.push(`   ${line}`); // leading blanks
    } else {
      out.push(line);
    }
    if (i % 71 === 0) {
      out.push(line); // a duplicate stage line
    }
    if (i % 503 === 0) {
      out.push(
        '',
        '\u0000\u0001binary',
        'x'.repeat(DEFAULT_MAX_LINE_BYTES + 10),
        `{"msg":"é€😀 ${'€'.repeat(i % 7)}"}`
      );
    }
  });
  // Reads whose audit ID a write reuses far later: the skipped read is parsed after all, from another range.
  for (const read of reads.slice(0, 40)) {
    out.push(read.replace(/"verb":"(get|list|watch)"/, '"verb":"delete"'));
  }
  // Last, a line without its newline.
  return out.join('\n');
}

/**
 * Routine writes (leases, node status, …) whose audit ID another line reuses, far from them: the session must
 * count what a worker left out of them exactly as if it had their events, or parse them after all.
 */
function routineTwins(auditLog: string): string {
  const routine = readFileSync(auditLog, 'utf8')
    .split('\n')
    .filter((l) => /"verb":"(update|patch)"/.test(l) && /"resource":"leases"|"subresource":"status"/.test(l));
  expect(routine.length).toBeGreaterThan(200);
  const twins = [
    // The request's first stage, received a day earlier: the two lines merge and the request moves in time.
    (l: string) =>
      l
        .replace('"stage":"ResponseComplete"', '"stage":"RequestReceived"')
        .replace('"requestReceivedTimestamp":"2026-03-02T', '"requestReceivedTimestamp":"2026-03-01T'),
    // Its final stage denied: the merged request is not routine, its withheld line is parsed after all.
    (l: string) => l.replace('"stage":"ResponseComplete"', '"stage":"Panic"').replace('"code":200', '"code":403'),
    // A person's write under the same audit ID: another request, both events.
    (l: string) =>
      l.replace(
        /"username":"[^"]*","groups":\[[^\]]*\]/,
        '"username":"alice@example.com","groups":["system:authenticated"]'
      ),
    // Another routine request under the same audit ID.
    (l: string) => l.replace(/"verb":"(update|patch)"/, '"verb":"delete"'),
  ];
  const out: string[] = [];
  // Under an audit ID of their own: a routine line without a stage (not left out: its stage is not known) whose
  // request is then denied by a bodiless final stage; the merged, kept event has the first line's bodies only.
  routine.slice(160, 200).forEach((line, k) => {
    const own = line.replace(/"auditID":"[^"]*"/, `"auditID":"routine-twin-${k}"`);
    out.push(own.replace('"stage":"ResponseComplete",', ''));
    out.push(
      own
        .replace('"stage":"ResponseComplete"', '"stage":"Panic"')
        .replace('"code":200', '"code":403')
        .replace('"requestObject":', '"requestObjectNotRead":')
        .replace('"responseObject":', '"responseObjectNotRead":')
    );
  });
  twins.forEach((twin, k) => {
    for (const line of routine.slice(k * 40, k * 40 + 40)) {
      out.push(twin(line));
    }
  });
  return routine.slice(0, 200).concat(out).join('\n') + '\n';
}

/** What a trace leaves out of every event kept: the routine writes, counted by class in the order they come. */
function leftOut(events: ChangeEvent[], range: { from?: number; to?: number }) {
  const kept: ChangeEvent[] = [];
  const excluded: Record<string, number> = {};
  for (const e of events) {
    const c = isEffect(e) ? routineClassOf(e) : undefined;
    if (!c) {
      kept.push(e);
    } else if (e.time === undefined || ((range.from ?? -Infinity) <= e.time && e.time <= (range.to ?? Infinity))) {
      excluded[c] = (excluded[c] ?? 0) + 1;
    }
  }
  return { kept, excluded };
}

/** One session, every line in order: the answer threads must give. */
async function oneSession(files: string[], options: ParseOptions): Promise<ParseSummary> {
  const session = new ParseSession(options);
  for (const f of files) {
    for await (const line of readRawLines(f, { maxLineBytes: DEFAULT_MAX_LINE_BYTES })) {
      session.add(line);
    }
  }
  return session.finish();
}

const logsOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));

let dir: string;
let files: string[];
beforeAll(async () => {
  dir = await generated(3_000, 11);
  const audit = join(dir, 'kube-audit.log');
  writeFileSync(join(dir, 'kube-audit-mutated.log'), mutated(audit));
  writeFileSync(join(dir, 'kube-audit-routine.log'), routineTwins(audit));
  files = logsOf(dir);
}, 60_000);

describe('parse on threads', () => {
  it.each([
    ['parse (every record)', {}],
    ['trace (reads counted, not parsed)', { skipReads: true }],
  ])(
    '%s: the summary of one session, byte for byte, on 1 and on 3 threads',
    async (_name, options) => {
      const mutatedLog = join(dir, 'kube-audit-mutated.log');
      // The files span many ranges, so lines, stages and reused audit IDs fall in different threads.
      expect(statSync(mutatedLog).size).toBeGreaterThan(20 * RANGE);
      const expected = JSON.stringify(await oneSession(files, options));
      for (const jobs of [1, 3]) {
        const got = await parseInThreads(files, {
          parse: options,
          maxLineBytes: DEFAULT_MAX_LINE_BYTES,
          jobs,
          rangeBytes: RANGE,
        });
        expect(JSON.stringify(got)).toBe(expected);
      }
      const summary = JSON.parse(expected) as ParseSummary;
      // The mutations reached the session: each kind of skip is there to be counted alike.
      for (const reason of ['invalid-json', 'empty-line', 'binary-data', 'line-too-long']) {
        expect(summary.skipped[reason]?.count).toBeGreaterThan(0);
      }
      expect(summary.salvaged['truncated-salvaged']?.count).toBeGreaterThan(0);
      expect(summary.stats.duplicates).toBeGreaterThan(0);
    },
    120_000
  );

  it('parses a skipped read after all when a write in a later range reuses its audit ID', async () => {
    const got = await parseInThreads([join(dir, 'kube-audit-mutated.log')], {
      parse: { skipReads: true },
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      jobs: 2,
      rangeBytes: RANGE,
    });
    const deletes = got.events.filter((e) => e.verb === 'delete' && e.id.includes('~'));
    // Same audit ID, different request: both events, told apart by their request (session.ts finish).
    expect(deletes.length).toBeGreaterThanOrEqual(40);
    const origins = got.events.filter((e) => e.id.includes('~') && e.verb !== 'delete').map((e) => e.raw.origin);
    expect(origins.length).toBeGreaterThanOrEqual(40);
    // The read's event names its own line, read again from the file by reference.
    const lines = readFileSync(join(dir, 'kube-audit-mutated.log'), 'utf8').split('\n');
    for (const origin of origins) {
      const n = Number(/:(\d+)$/.exec(origin ?? '')?.[1]);
      expect(lines[n - 1]).toMatch(/"verb":"(get|list|watch)"/);
    }
  }, 60_000);
});

describe('routine writes left out where they are parsed', () => {
  it('are counted as excludeRoutine counts their events, on 1 and on 3 threads, in any time range', async () => {
    // The answer without withholding: one session keeps every event, excludeRoutine leaves the routine ones out.
    const whole = await oneSession(files, { skipReads: true });
    const times = whole.events.flatMap((e) => (e.time === undefined ? [] : [e.time])).sort((a, b) => a - b);
    const ranges = [
      {},
      { from: times[times.length >> 2], to: times[(3 * times.length) >> 2] },
      // The twins received a day earlier move their requests out of this one.
      { from: Date.parse('2026-03-02T00:00:00Z') },
    ];
    const notEvents = ({ events: _e, withheld: _w, ...rest }: ParseSummary) => JSON.stringify(rest);
    for (const jobs of [1, 3]) {
      const got = await parseInThreads(files, {
        parse: { skipReads: true },
        withhold: [...ALL_ROUTINE],
        maxLineBytes: DEFAULT_MAX_LINE_BYTES,
        jobs,
        rangeBytes: RANGE,
      });
      // Most routine writes never reached the session as events.
      expect(got.withheld?.length).toBeGreaterThan(whole.events.length / 4);
      expect(got.events.length).toBeLessThan(whole.events.length - (got.withheld?.length ?? 0) / 2);
      expect(notEvents(got)).toBe(notEvents(whole));
      for (const range of ranges) {
        const expected = leftOut(whole.events, range);
        // Same kept events, same counts, classes in the same order.
        expect(JSON.stringify(excludeRoutine(got.events, ALL_ROUTINE, range, got.withheld))).toBe(
          JSON.stringify(expected)
        );
      }
    }
    // The twins reached the answer: another request and a denied final stage under a routine write's audit ID.
    const alices = whole.events.filter((e) => e.actor.name === 'alice@example.com' && e.id.includes('~'));
    expect(alices.length).toBe(40);
    const kept = leftOut(whole.events, {}).kept;
    expect(kept.filter((e) => alices.includes(e)).length).toBeGreaterThan(0);
    expect(kept.filter((e) => e.outcome.code === 403 && e.stages?.includes('Panic')).length).toBe(80);
    const ownTwins = kept.filter((e) => e.id.startsWith('kube-audit:routine-twin-'));
    expect(ownTwins.length).toBe(40);
    expect(ownTwins.filter((e) => e.snapshot !== undefined).length).toBeGreaterThan(0);
  }, 120_000);
});

describe('trace and parse --jobs', () => {
  const json = async (args: string[]) => {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    return r.out.replace(/"ms": \d+/, '"ms": 0');
  };

  it('trace --format json on 2 threads prints what 1 thread prints', async () => {
    const one = await json(['trace', '--format', 'json', '--jobs', '1', dir]);
    const two = await json(['trace', '--format', 'json', '--jobs', '2', '--range-bytes', String(RANGE), dir]);
    expect(two).toBe(one);
    expect(JSON.parse(one).chains.length).toBeGreaterThan(10);
  }, 120_000);

  it('the worker answers the same from its sources through tsx as from its bundle', async () => {
    const options = {
      parse: { skipReads: true },
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      jobs: 2,
      rangeBytes: 4 * RANGE,
    };
    const bundled = await parseInThreads(files, options);
    const sources = await parseInThreads(files, { ...options, workerEntry: require.resolve('./parseWorker.ts') });
    expect(JSON.stringify(sources)).toBe(JSON.stringify(bundled));
  }, 120_000);

  it('a .gz is read in this thread and parsed on the others, with the plain file’s answer', async () => {
    const gzDir = mkdtempSync(join(tmpdir(), 'provenance-threads-gz-'));
    const plain = join(dir, 'kube-audit-mutated.log');
    const gz = join(gzDir, 'kube-audit-mutated.log');
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const a = await json(['parse', '--format', 'json', '--jobs', '1', plain]);
    const b = await json(['parse', '--format', 'json', '--jobs', '2', gz]);
    expect(b.split(gz).join(plain)).toBe(a);
  }, 120_000);
});

describe('a thread that fails', () => {
  const failing = (body: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'provenance-threads-fail-')), 'worker.cjs');
    writeFileSync(path, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
    return path;
  };
  const run = (workerEntry: string) =>
    parseInThreads(files, { parse: {}, maxLineBytes: DEFAULT_MAX_LINE_BYTES, jobs: 2, rangeBytes: RANGE, workerEntry });

  it('fails the answer with the reason when a worker exits', async () => {
    await expect(run(failing("parentPort.on('message', () => process.exit(3));"))).rejects.toThrow(
      /a parse thread failed \(it exited with code 3\); nothing is answered from a part of the input/
    );
  });

  it('fails the answer with the reason when a worker throws', async () => {
    await expect(run(failing("parentPort.on('message', () => { throw new Error('out of sorts'); });"))).rejects.toThrow(
      /a parse thread failed \(out of sorts\)/
    );
  });

  it('fails the answer with the reason a worker could not read its input', async () => {
    const body =
      "parentPort.on('message', ({ id }) => parentPort.postMessage({ id, error: 'cannot read x: EACCES', exitCode: 1 }));";
    await expect(run(failing(body))).rejects.toMatchObject({ message: 'cannot read x: EACCES', exitCode: 1 });
  });

  it('fails the answer when a worker answers nonsense', async () => {
    await expect(
      run(failing("parentPort.on('message', ({ id }) => parentPort.postMessage({ id: id + 1000 }));"))
    ).rejects.toThrow(/a parse thread failed \(it answered a task it was not given\)/);
  });
});
