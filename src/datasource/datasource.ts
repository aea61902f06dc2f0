import {
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type QueryResultMetaNotice,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

import {
  ALL_ROUTINE,
  DEFAULT_SELECTORS,
  failedSourceHealth,
  HEALTH_SOURCES,
  healthStepMs,
  metricPoints,
  perMinuteQuery,
  sampleQuery,
  sourceHealth,
  type SourceHealth,
  describeExcluded,
  effectsQuery,
  phaseOneQuery,
  lineQuery,
  parseLines,
  redactNotice,
  renderCountQuery,
  renderLogQuery,
  renderSelector,
  type LokiTransport,
  type Question,
  type StreamSelectors,
} from '../core';
import { filterColumns } from './chainColumns';
import { chainsFrameOf, eventsFrame, logsFrame, nodeGraphFrames } from './frames';
import { GrafanaLokiTransport, lokiDataSource, lokiDataSourceName } from './grafanaLokiTransport';
import { recordedAnswer, whyNotRecorded } from './recordedTrace';
import { runnerPort, startTrace, traceWorkerUrl, type TraceAnswer } from './remoteTrace';
import { searchQuery } from './searchQuery';
import { streamSelectors } from './selectors';
import type { RunnerPort } from './traceMessages';
import { DEFAULT_QUERY, trustedProxyList, type ProvenanceOptions, type ProvenanceQuery } from './types';

/**
 * Grafana glue over core: interpolates variables, asks core's two-phase trace through the user's Loki data
 * source, and turns the answer into frames. Correlation runs in the browser, in a Web Worker (the same thread
 * where none starts: remoteTrace.ts); no backend.
 */
export class DataSource extends DataSourceApi<ProvenanceQuery, ProvenanceOptions> {
  private readonly options: ProvenanceOptions;
  private readonly selectors: StreamSelectors;
  /**
   * Traces by question and time range, shared by everything that asks the same in one refresh: the panel, the
   * chains table, the node graph, the logs, annotations and the variables each ask Loki once per distinct
   * question, not once each (verdicts and modes are applied to the shared answer). Kept a minute (an absolute
   * range can still be receiving lines); a failed trace is not kept; a trace every asker cancelled is stopped.
   */
  private readonly traces = new Map<string, SharedTrace>();

  constructor(
    instanceSettings: DataSourceInstanceSettings<ProvenanceOptions>,
    private readonly transportFor: (o: ProvenanceOptions) => LokiTransport = (o) =>
      new GrafanaLokiTransport(o.lokiUid ?? '', o.pageLimit ?? 1000),
    private readonly runnerFor: () => RunnerPort = () => runnerPort(traceWorkerUrl())
  ) {
    super(instanceSettings);
    this.options = instanceSettings.jsonData ?? {};
    this.selectors = streamSelectors(this.options.selectors);
    // Annotations use the same query editor and frames: `time` + `text` fields of the chains frame.
    this.annotations = {};
  }

  /** Whether Chains and Graph queries read the chains `provenance watch` recorded (setting "Recorded chains"). */
  get readsRecorded(): boolean {
    return this.options.recordedChains === true;
  }

  /** The Loki data source this one reads (for links to it: alert rules, Explore). */
  get lokiUid(): string | undefined {
    return this.options.lokiUid;
  }

  getDefaultQuery(): Partial<ProvenanceQuery> {
    return DEFAULT_QUERY;
  }

  private interpolate(q: ProvenanceQuery, scopedVars: DataQueryRequest['scopedVars']): ProvenanceQuery {
    const t = getTemplateSrv();
    const v = (s?: string) => (s ? t.replace(s, scopedVars) : s);
    return {
      ...q,
      resource: v(q.resource),
      namespace: v(q.namespace),
      name: v(q.name),
      actor: v(q.actor),
      text: v(q.text),
      ...searchQuery(v(q.search) ?? ''),
    };
  }

  /** The LogQL phase 1 runs for a query (shown read-only in the editor). */
  effectsLogQL(q: Partial<ProvenanceQuery>): string {
    return renderLogQuery(phaseOneQuery(this.questionOf(q), this.selectors));
  }

  /**
   * Suggestions for the editor: resources, namespaces or names that changed recently (the last hour of the
   * kube-apiserver audit stream in Loki, first page only — a hint, not an inventory).
   */
  async suggest(kind: 'resource' | 'namespace' | 'name', now = Date.now()): Promise<string[]> {
    if (!this.options.lokiUid) {
      return [];
    }
    const logql = renderLogQuery(effectsQuery({}, this.selectors, false));
    const r = await this.transportFor(this.options).queryRange(logql, now - 3_600_000, now);
    const values = new Set<string>();
    for (const e of parseLines(r.lines.slice(0, 1000)).events) {
      const v = e.target[kind];
      if (v) {
        values.add(v);
      }
    }
    return [...values].sort();
  }

  /** The metric form for a Grafana-managed alert rule on the Loki data source. */
  alertLogQL(q: Partial<ProvenanceQuery>): string {
    const { target, actor } = questionOf(q);
    return renderCountQuery(effectsQuery({ target, actor }, this.selectors), '5m', ['objectRef_namespace']);
  }

  query(request: DataQueryRequest<ProvenanceQuery>): Observable<DataQueryResponse> {
    return new Observable<DataQueryResponse>((subscriber) => {
      const abort = new AbortController();
      const from = request.range.from.valueOf();
      const to = request.range.to.valueOf();
      const targets = request.targets.filter((t) => !t.hide).map((t) => this.interpolate(t, request.scopedVars));
      Promise.all(targets.map((t) => this.answer(t, from, to, abort.signal)))
        .then((frames) => {
          subscriber.next({ data: frames.flat() });
          subscriber.complete();
        })
        .catch((e: unknown) => {
          if (!abort.signal.aborted) {
            // Loki's error bodies may quote a query or a line: shown through the same redactor as notices.
            subscriber.error({ message: redactNotice(e instanceof Error ? e.message : String(e)) });
          }
        });
      // Grafana unsubscribes when the user cancels or the panel re-runs: stop asking Loki.
      return () => abort.abort();
    });
  }

  private async answer(t: ProvenanceQuery, from: number, to: number, signal: AbortSignal): Promise<DataFrame[]> {
    if (!this.options.lokiUid) {
      throw new Error(
        'Change Provenance: choose the Loki data source that holds your audit streams (data source settings).'
      );
    }
    const question = { ...this.questionOf(t), from, to };
    const why = this.options.recordedChains ? whyNotRecorded(t.mode, question) : undefined;
    const recorded = this.options.recordedChains === true && !t.live && !why && !['events', 'logs'].includes(t.mode);
    const trace = await this.sharedTrace(question, signal, recorded);
    const frames = await this.framesFor(t, trace);
    const notices = noticesOf(trace);
    if (why && !t.live) {
      notices.unshift({
        severity: 'info',
        text: `Recorded chains not read: ${why}. The whole range was correlated live.`,
      });
    }
    for (const f of frames) {
      f.meta = { ...f.meta, notices };
    }
    return frames;
  }

  private async framesFor(t: ProvenanceQuery, trace: TraceAnswer): Promise<DataFrame[]> {
    const uid = this.options.lokiUid;
    const loki = uid ? { uid, name: lokiDataSourceName(uid) } : undefined;
    const verdicts = t.verdicts?.length ? t.verdicts : undefined;
    const wanted = verdicts && trace.chains.map((c) => verdicts.includes(c.verdict));
    const chains = wanted ? trace.chains.filter((_, i) => wanted[i]) : trace.chains.slice();
    switch (t.mode) {
      case 'events':
        return [eventsFrame(await trace.events(), t.refId, loki, this.selectors)];
      case 'graph':
        return nodeGraphFrames(chains, t.refId);
      case 'logs':
        return [logsFrame(await trace.effectLines(), t.refId)];
      default:
        return [
          chainsFrameOf(
            chains,
            wanted ? trace.records.filter((_, i) => wanted[i]) : trace.records.slice(),
            t.refId,
            loki,
            this.selectors,
            filterColumns(trace.columns, wanted)
          ),
        ];
    }
  }

  /** Variables: `actors`, `apps`, `namespaces`, `verdicts`, `clusters` of the changes in the dashboard's range (else 24 h). */
  async metricFindQuery(
    query: string,
    options?: { range?: { from: { valueOf(): number }; to: { valueOf(): number } } }
  ): Promise<MetricFindValue[]> {
    const to = options?.range?.to.valueOf() ?? Date.now();
    const from = options?.range?.from.valueOf() ?? to - 86_400_000;
    const trace = await this.traceForVariables(from, to);
    const pick: Record<string, (c: TraceAnswer['chains'][number]) => string | undefined> = {
      actors: (c) => c.who.name,
      apps: (c) => c.gitops?.app,
      namespaces: (c) => c.effect.target.namespace,
      verdicts: (c) => c.verdict,
      clusters: (c) => c.effect.target.cluster,
    };
    const f = pick[query.trim()];
    if (!f) {
      throw new Error(`unknown variable query "${query}"; use one of ${Object.keys(pick).join(', ')}`);
    }
    return [...new Set(trace.chains.map(f).filter((v): v is string => Boolean(v)))].sort().map((text) => ({ text }));
  }

  private traceForVariables(from: number, to: number): Promise<TraceAnswer> {
    const question = { ...this.questionOf({}), from, to };
    const recorded = this.options.recordedChains === true && !whyNotRecorded('chains', question);
    return this.sharedTrace(question, undefined, recorded);
  }

  /** The `cluster` label the watcher recorded with: the setting, else the kube-audit selector's own. */
  private recordedCluster(): string | undefined {
    return this.options.recordedCluster?.trim() || this.selectors['kube-audit']?.cluster;
  }

  /** A live trace of `question` through the trace runner (a Web Worker where one starts). */
  private liveTrace(question: Question & { from: number; to: number }, signal: AbortSignal) {
    return startTrace(
      this.runnerFor(),
      this.transportFor(this.options),
      {
        question,
        selectors: this.selectors,
        options: {
          ...this.options.windows,
          trustedProxies: trustedProxyList(this.options.trustedProxies),
          links: this.options.links,
        },
      },
      signal
    );
  }

  /** The question with this data source's routine setting: every class unless configured, none if the query keeps them. */
  private questionOf(q: Partial<ProvenanceQuery>): Question {
    return { ...questionOf(q), leaveOut: q.keepRoutine ? [] : (this.options.excludeRoutine ?? ALL_ROUTINE) };
  }

  /**
   * One trace per question and range; `signal` cancels this asker only (the trace stops when all have). With
   * `recorded`, the chains `provenance watch` recorded, and live traces for the parts not recorded.
   */
  private sharedTrace(
    question: Question & { from: number; to: number },
    signal?: AbortSignal,
    recorded = false
  ): Promise<TraceAnswer> {
    const key = JSON.stringify({ ...question, recorded });
    const now = Date.now();
    for (const [k, t] of this.traces) {
      if (now - t.at > SHARED_TRACE_MS) {
        // Its events and lines are no longer asked for: the worker holding them ends.
        t.stop();
        this.traces.delete(k);
      }
    }
    let shared = this.traces.get(key);
    if (!shared) {
      const abort = new AbortController();
      const remotes: Array<ReturnType<DataSource['liveTrace']>> = [];
      const live = (q: Question & { from: number; to: number }) => {
        const remote = this.liveTrace(q, abort.signal);
        remotes.push(remote);
        return remote.answer;
      };
      const trace = recorded
        ? recordedAnswer(
            this.transportFor(this.options),
            question,
            this.recordedCluster(),
            this.selectors,
            live,
            abort.signal
          )
        : live(question);
      const stop = () => remotes.forEach((r) => r.stop());
      const entry: SharedTrace = { at: now, trace, stop, abort, askers: 0, settled: false };
      shared = entry;
      this.traces.set(key, entry);
      trace.then(
        () => (entry.settled = true),
        () => {
          entry.settled = true;
          if (this.traces.get(key) === entry) {
            this.traces.delete(key);
          }
        }
      );
    }
    const entry = shared;
    entry.askers++;
    const release = () => {
      entry.askers--;
      if (entry.askers === 0 && !entry.settled) {
        entry.abort.abort();
        if (this.traces.get(key) === entry) {
          this.traces.delete(key);
        }
      }
    };
    if (!signal) {
      return entry.trace.finally(() => entry.askers--);
    }
    signal.addEventListener('abort', release, { once: true });
    return entry.trace.finally(() => {
      if (!signal.aborted) {
        signal.removeEventListener('abort', release);
        entry.askers--;
      }
    });
  }

  /**
   * Whether each stream arrives and parses (the app's Source health page): per source a metric query for the
   * lines per minute and a sample of its newest lines (up to an hour before its last line) parsed by core.
   */
  async sourceHealth(from: number, to: number): Promise<SourceHealth[]> {
    if (!this.options.lokiUid) {
      throw new Error(
        'Change Provenance: choose the Loki data source that holds your audit streams (data source settings).'
      );
    }
    const transport = this.transportFor(this.options);
    const metric = transport.queryMetric?.bind(transport);
    if (!metric) {
      throw new Error('this data source reads Loki without metric queries');
    }
    const stepMs = healthStepMs(from, to);
    return Promise.all(
      HEALTH_SOURCES.map(async (source) => {
        const labels = this.selectors[source] ?? DEFAULT_SELECTORS[source];
        try {
          const points = metricPoints(await metric(perMinuteQuery(labels, stepMs), from, to, stepMs));
          const last = points.filter(([, v]) => v > 0).pop()?.[0];
          const sampleTo = Math.min(to, last === undefined ? to : last + 1);
          const sample = await transport.queryRange(
            sampleQuery(labels),
            Math.max(from, sampleTo - HEALTH_SAMPLE_SPAN_MS),
            sampleTo,
            undefined,
            HEALTH_SAMPLE_LINES
          );
          return sourceHealth(source, this.selectors, { points, sample: sample.lines, fromMs: from, toMs: to });
        } catch (e) {
          return failedSourceHealth(source, this.selectors, redactNotice(e instanceof Error ? e.message : String(e)));
        }
      })
    );
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.options.lokiUid) {
      return { status: 'error', message: 'Choose the Loki data source that holds your audit streams.' };
    }
    try {
      await lokiDataSource(this.options.lokiUid);
    } catch (e) {
      return {
        status: 'error',
        message: `The Loki data source ${this.options.lokiUid} cannot be used: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    const transport = this.transportFor(this.options);
    const to = Date.now();
    const missing: string[] = [];
    for (const [source, labels] of Object.entries(this.selectors)) {
      // One line is enough to know the stream arrives: do not read a day of audit logs to find out.
      const r = await transport
        .queryRange(renderLogQuery(lineQuery(labels)), to - 86_400_000, to, undefined, 1)
        .catch(() => undefined);
      if (!r || r.lines.length === 0) {
        missing.push(`${source} ${renderSelector(labels)}`);
      }
    }
    if (missing.length > 0) {
      return {
        status: 'error',
        message: `Loki answers, but no line arrived in the last 24 h for: ${missing.join('; ')}. Ship that stream to Loki with these labels, or change its selector in these settings.`,
      };
    }
    return { status: 'success', message: 'Loki answers, and every source has lines from the last 24 h.' };
  }
}

/** The question a query asks core: which changes, by whom, with what text and verbs, explained by which streams. */
function questionOf(q: Partial<ProvenanceQuery>): Question {
  return {
    target: { resource: q.resource, namespace: q.namespace, name: q.name },
    actor: q.actor,
    text: q.text,
    verbs: q.verbs?.length ? q.verbs : undefined,
    sources: q.sources,
  };
}

interface SharedTrace {
  at: number;
  trace: Promise<TraceAnswer>;
  /** Ends the runners of the trace (their events and lines are no longer asked for). */
  stop: () => void;
  abort: AbortController;
  askers: number;
  settled: boolean;
}

const SHARED_TRACE_MS = 60_000;
/** The source health sample: enough lines to see every skip reason that matters, read in one page. */
const HEALTH_SAMPLE_LINES = 500;
const HEALTH_SAMPLE_SPAN_MS = 3_600_000;

function noticesOf(trace: TraceAnswer): QueryResultMetaNotice[] {
  // Warnings may quote Loki's answer: every notice goes through core's notice redactor.
  const notices: QueryResultMetaNotice[] = trace.warnings.map((text) => ({ severity: 'warning', text }));
  const counted = describeExcluded(trace.excluded);
  if (counted || trace.excludedInLoki.length > 0) {
    const inLoki = trace.excludedInLoki.length
      ? `Loki left out (not counted): ${trace.excludedInLoki.join(', ')}. `
      : '';
    notices.push({
      severity: 'info',
      text: `Routine system writes left out: ${counted ? `${counted}. ` : ''}${inLoki}Turn on "Keep routine traffic" in the query to see them.`,
    });
  }
  const skipped = Object.entries(trace.skipped);
  if (skipped.length > 0) {
    notices.push({
      severity: 'info',
      text: `Lines not read: ${skipped.map(([reason, s]) => `${reason} ×${s.count}`).join(', ')}`,
    });
  }
  return notices.map((n) => ({ ...n, text: redactNotice(n.text) }));
}
