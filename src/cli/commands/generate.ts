import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

import { generate, scenarioNames, type LogFile } from '../../core';
import { CliError, type Io } from '../io';
import { startProgress } from '../progress';

export interface GenerateCommandOptions {
  scenario: string;
  out: string;
  events: number;
  seed: number;
  start: string;
  /** Nodes and operators of the generated cluster; background events per hour instead of --events. */
  nodes?: number;
  controllers?: number;
  eventsPerHour?: number;
}

/** `provenance generate`: scenario logs in the real formats, plus ground-truth.json, streamed to disk. */
export async function generateCommand(o: GenerateCommandOptions, io: Io): Promise<number> {
  const start = Date.parse(o.start);
  if (Number.isNaN(start)) {
    throw new CliError(`--start ${o.start}: not an ISO time`, 2);
  }
  const names = o.scenario === 'all' ? 'all' : o.scenario.split(',');
  if (names !== 'all') {
    const unknown = names.filter((n) => !scenarioNames().includes(n));
    if (unknown.length) {
      throw new CliError(`unknown scenario ${unknown.join(', ')}; known: ${scenarioNames().join(', ')}, all`, 2);
    }
  }
  await fs.mkdir(o.out, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create ${o.out}: ${e.code ?? e.message}`, 1);
  });
  const g = generate({
    scenarios: names,
    noiseEvents: o.events,
    eventsPerHour: o.eventsPerHour,
    cluster: {
      ...(o.nodes ? { nodes: o.nodes } : {}),
      ...(o.controllers !== undefined ? { controllers: o.controllers } : {}),
    },
    seed: o.seed,
    start,
  });
  const streams = new Map<LogFile, WriteStream>();
  const progress = startProgress(io, 'generating', o.events, 'events');
  let n = 0;
  for (const r of g.records()) {
    let s = streams.get(r.file);
    if (!s) {
      s = createWriteStream(join(o.out, r.file));
      streams.set(r.file, s);
    }
    if (!s.write(r.line + '\n')) {
      await once(s, 'drain');
    }
    progress.update(++n);
  }
  progress.stop();
  await Promise.all([...streams.values()].map((s) => new Promise((resolve) => s.end(resolve))));
  await fs.writeFile(
    join(o.out, 'ground-truth.json'),
    JSON.stringify({ scenarios: names === 'all' ? scenarioNames() : names, seed: o.seed, chains: g.truth }, null, 2) +
      '\n'
  );
  io.err(`wrote ${n} lines to ${[...streams.keys()].join(', ')} and ground-truth.json in ${o.out}\n`);
  return 0;
}
