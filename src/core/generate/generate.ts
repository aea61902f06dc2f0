import { ClusterTraffic, DEFAULT_CLUSTER, type ClusterShape } from './noise';
import { seededRng } from './random';
import { SCENARIOS, type GeneratedRecord, type TruthChain } from './scenarios';

/**
 * Scenarios in sequence (one every `spacingMs`) inside background noise, as one time-ordered stream of log
 * lines per file plus the ground truth. Lines are produced lazily, so millions of noise events never sit in
 * memory at once.
 */

export interface GenerateOptions {
  /** Scenario names, or all of them. */
  scenarios: string[] | 'all';
  /** Background kube-apiserver audit events (a real cluster's traffic, see noise.ts) spread over the same span. */
  noiseEvents: number;
  /** Instead of `noiseEvents`: this many background events per hour of the span. */
  eventsPerHour?: number;
  /** Nodes and operators of the cluster the background traffic comes from. */
  cluster?: Partial<ClusterShape>;
  seed: number;
  /** Start of the first scenario, ms epoch. */
  start: number;
  spacingMs?: number;
  /** Background traffic before the first scenario. Default 10 minutes. */
  leadInMs?: number;
  /** End of the span (ms epoch), when later than the scenarios' end; default one spacing after the last start. */
  endMs?: number;
}

export interface Generated {
  truth: TruthChain[];
  /** Every line of every file, oldest first. */
  records(): Generator<GeneratedRecord>;
  /** First and last time covered. */
  span: { from: number; to: number };
}

export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name);
}

export function generate(options: GenerateOptions): Generated {
  const chosen =
    options.scenarios === 'all'
      ? SCENARIOS
      : options.scenarios.map((n) => {
          const s = SCENARIOS.find((x) => x.name === n);
          if (!s) {
            throw new Error(`unknown scenario "${n}"; known: ${scenarioNames().join(', ')}`);
          }
          return s;
        });
  const spacing = options.spacingMs ?? 40 * 60_000;
  const rng = seededRng(options.seed);
  const scenarioRecords: GeneratedRecord[] = [];
  const truth: TruthChain[] = [];
  chosen.forEach((s, i) => {
    const built = s.build(options.start + i * spacing, rng);
    scenarioRecords.push(...built.records);
    truth.push(...built.truth);
  });
  scenarioRecords.sort((a, b) => a.ms - b.ms);
  const from = options.start - (options.leadInMs ?? 10 * 60_000);
  // Past the last scenario's last line, whatever the spacing (a short spacing leaves a long scenario's tail out).
  const to = Math.max(
    options.endMs ?? options.start + Math.max(1, chosen.length) * spacing,
    (scenarioRecords.at(-1)?.ms ?? 0) + 1
  );
  const noiseSeed = options.seed ^ 0x5bd1e995;
  return {
    truth,
    span: { from, to },
    *records() {
      const traffic = new ClusterTraffic(seededRng(noiseSeed), { ...DEFAULT_CLUSTER, ...options.cluster });
      const n =
        options.eventsPerHour !== undefined
          ? Math.round((options.eventsPerHour * (to - from)) / 3_600_000)
          : options.noiseEvents;
      const step = n > 0 ? (to - from) / n : 0;
      let k = 0;
      for (let i = 0; i < n; i++) {
        const ms = Math.floor(from + i * step);
        while (k < scenarioRecords.length && scenarioRecords[k].ms <= ms) {
          yield scenarioRecords[k++];
        }
        yield { file: 'kube-audit.log', ms, line: traffic.next(ms) };
      }
      while (k < scenarioRecords.length) {
        yield scenarioRecords[k++];
      }
    },
  };
}
