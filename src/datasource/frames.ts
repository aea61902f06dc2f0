import { createDataFrame, DataFrameType, FieldType, type DataFrame, type DataLink } from '@grafana/data';

import {
  chainRecords,
  DEFAULT_SELECTORS,
  objectName,
  rawQueryOf,
  redactRawLine,
  type Chain,
  type ChainRecord,
  type ChangeEvent,
  type LokiTrace,
  type RawLine,
  type StreamSelectors,
} from '../core';
import { chainColumns, type ChainColumns } from './chainColumns';

export { diffColumnText, escapeMarkup, storyOf } from './chainColumns';

/**
 * Core results as DataFrames Grafana's panels and Explore understand. Field names are the contract with the
 * provenance panel (it reads frames, never the data source).
 */

/** The Loki data source the links open: its uid, and its name as Grafana lists it. */
export interface LokiRef {
  uid: string;
  name: string;
}

/**
 * A data link to Explore on the Loki data source, running the row's LogQL around the row's time. Grafana opens
 * it by `datasourceUid` (the href and the query's datasource); `datasourceName` is only the title shown when a
 * link has none (@grafana/data 13.1.1 utils/dataLinks.ts mapInternalLinkToExplore), so it is the real name.
 */
function exploreLink(loki: LokiRef | undefined): DataLink[] {
  if (!loki) {
    return [];
  }
  return [
    {
      title: 'Raw lines in Explore',
      url: '',
      internal: {
        datasourceUid: loki.uid,
        datasourceName: loki.name,
        query: { refId: 'A', expr: '${__value.raw}', queryType: 'range' },
      },
    },
  ];
}

/** A link on a URL column that opens the cell's own URL (https only: core builds no other). */
function openLink(title: string): { links: DataLink[] } {
  return { links: [{ title, url: '${__value.raw}', targetBlank: true }] };
}

export function chainsFrame(
  chains: Chain[],
  refId: string,
  loki?: LokiRef,
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  events: readonly ChangeEvent[] = [],
  lineOf?: LokiTrace['lineOf']
): DataFrame {
  const byId = new Map(events.map((e) => [e.id, e]));
  const records = chains.map((c) => chainRecords(c, byId, selectors, lineOf));
  return chainsFrameOf(chains, records, refId, loki, selectors);
}

/** The chains frame from chains and their records computed already (by the trace runner, where the lines are). */
export function chainsFrameOf(
  chains: Chain[],
  records: ChainRecord[][],
  refId: string,
  loki?: LokiRef,
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  columns: ChainColumns = chainColumns(chains, selectors)
): DataFrame {
  const frame = createDataFrame({
    refId,
    name: 'chains',
    fields: [
      { name: 'time', type: FieldType.time, values: columns.time },
      { name: 'verdict', type: FieldType.string, values: columns.verdict },
      { name: 'who', type: FieldType.string, values: columns.who },
      { name: 'ip', type: FieldType.string, values: columns.ip },
      { name: 'ip trust', type: FieldType.string, values: columns.ipTrust },
      { name: 'verb', type: FieldType.string, values: columns.verb },
      { name: 'object', type: FieldType.string, values: columns.object },
      { name: 'app', type: FieldType.string, values: columns.app },
      { name: 'commit', type: FieldType.string, values: columns.commit },
      { name: 'initiator', type: FieldType.string, values: columns.initiator },
      { name: 'automation', type: FieldType.string, values: columns.automation },
      { name: 'text', type: FieldType.string, values: columns.text },
      { name: 'diff', type: FieldType.string, values: columns.diff },
      {
        name: 'commit url',
        type: FieldType.string,
        values: columns.commitUrl,
        config: openLink('Commit on the Git host'),
      },
      {
        name: 'compare url',
        type: FieldType.string,
        values: columns.compareUrl,
        config: openLink('Changes since the commit before'),
      },
      {
        name: 'app url',
        type: FieldType.string,
        values: columns.appUrl,
        config: openLink('Application in Argo CD'),
      },
      {
        name: 'user url',
        type: FieldType.string,
        values: columns.userUrl,
        config: openLink('User in Rancher'),
      },
      { name: 'evidence', type: FieldType.string, values: columns.evidence },
      {
        name: 'raw query',
        type: FieldType.string,
        values: columns.rawQuery,
        config: { links: exploreLink(loki) },
      },
      { name: 'chain', type: FieldType.other, values: chains, config: { custom: { hidden: true } } },
      {
        name: 'records',
        type: FieldType.other,
        values: records,
        config: { custom: { hidden: true } },
      },
    ],
  });
  frame.meta = { preferredVisualisationType: 'table' };
  return frame;
}

export function eventsFrame(
  events: ChangeEvent[],
  refId: string,
  loki?: LokiRef,
  selectors: StreamSelectors = DEFAULT_SELECTORS
): DataFrame {
  const frame = createDataFrame({
    refId,
    name: 'events',
    fields: [
      { name: 'time', type: FieldType.time, values: events.map((e) => e.time ?? null) },
      { name: 'source', type: FieldType.string, values: events.map((e) => e.source) },
      { name: 'verb', type: FieldType.string, values: events.map((e) => e.verb) },
      { name: 'actor', type: FieldType.string, values: events.map((e) => e.actor.loginName ?? e.actor.name) },
      { name: 'kind', type: FieldType.string, values: events.map((e) => e.actor.kind) },
      { name: 'object', type: FieldType.string, values: events.map(objectName) },
      { name: 'ip', type: FieldType.string, values: events.map((e) => e.sourceIPs[0] ?? '') },
      {
        name: 'outcome',
        type: FieldType.string,
        values: events.map((e) => (e.outcome.code !== undefined ? String(e.outcome.code) : e.outcome.status)),
      },
      { name: 'app', type: FieldType.string, values: events.map((e) => e.gitops?.app ?? '') },
      {
        name: 'raw query',
        type: FieldType.string,
        values: events.map((e) => rawQueryOf(e, selectors)),
        config: { links: exploreLink(loki) },
      },
    ],
  });
  frame.meta = { preferredVisualisationType: 'table' };
  return frame;
}

/** Node Graph: people, tools, operations and objects as nodes; each link of each chain as an edge. */
export function nodeGraphFrames(chains: Chain[], refId: string): DataFrame[] {
  const nodes = new Map<string, { title: string; subtitle: string; mainstat: string }>();
  const edges = new Map<string, { source: string; target: string; mainstat: string }>();
  const node = (id: string, title: string, subtitle: string) => {
    if (!nodes.has(id)) {
      nodes.set(id, { title, subtitle, mainstat: '' });
    }
    return id;
  };
  const edge = (source: string, target: string, label: string) =>
    edges.set(`${source}>${target}`, { source, target, mainstat: label });
  for (const c of chains) {
    const person = node(`who:${c.who.name}`, c.who.name, c.who.kind);
    const name = objectName(c.effect);
    const object = node(`obj:${name}`, name, c.effect.target.apiGroup || 'core');
    if (c.gitops) {
      const op = node(
        `op:${c.gitops.tool}:${c.gitops.app ?? ''}:${c.gitops.operation}`,
        `${c.gitops.tool} ${c.gitops.operation}`,
        c.gitops.app ?? ''
      );
      edge(person, op, c.gitops.initiator ? 'started' : 'automated');
      if (c.gitops.commit) {
        edge(node(`commit:${c.gitops.commit}`, c.gitops.commit.slice(0, 12), 'commit'), op, 'deploys');
      }
      edge(op, object, c.effect.verb);
    } else {
      edge(person, object, c.effect.verb);
    }
  }
  const ids = [...nodes.keys()];
  const nodesFrame = createDataFrame({
    refId,
    name: 'nodes',
    fields: [
      { name: 'id', type: FieldType.string, values: ids },
      { name: 'title', type: FieldType.string, values: ids.map((i) => nodes.get(i)?.title ?? '') },
      { name: 'subtitle', type: FieldType.string, values: ids.map((i) => nodes.get(i)?.subtitle ?? '') },
    ],
  });
  const es = [...edges.values()];
  const edgesFrame = createDataFrame({
    refId,
    name: 'edges',
    fields: [
      { name: 'id', type: FieldType.string, values: es.map((e) => `${e.source}>${e.target}`) },
      { name: 'source', type: FieldType.string, values: es.map((e) => e.source) },
      { name: 'target', type: FieldType.string, values: es.map((e) => e.target) },
      { name: 'mainstat', type: FieldType.string, values: es.map((e) => e.mainstat) },
    ],
  });
  nodesFrame.meta = { preferredVisualisationType: 'nodeGraph' };
  edgesFrame.meta = { preferredVisualisationType: 'nodeGraph' };
  return [nodesFrame, edgesFrame];
}

/**
 * The raw lines behind the answer, as a dataplane logs frame (content is text only; Secret bodies redacted).
 * Typed `log-lines`, Grafana reads it with its dataplane parser (public/app/features/logs/logsFrame.ts), which
 * needs a time field `timestamp` and a string field `body`, and takes `id` and `labels` when present; the
 * nanoseconds past each millisecond ride on the time field (`nanos`). No `severity`: audit lines have none.
 */
export function logsFrame(lines: RawLine[], refId: string): DataFrame {
  const ms = (l: RawLine) => (l.ns ? Number(l.ns.slice(0, -6)) : null);
  const frame = createDataFrame({
    refId,
    name: 'logs',
    fields: [
      { name: 'timestamp', type: FieldType.time, values: lines.map(ms) },
      { name: 'body', type: FieldType.string, values: lines.map((l) => redactRawLine(l.text)) },
      // Unique per row: two lines may share a time and a stream.
      { name: 'id', type: FieldType.string, values: lines.map((l, i) => `${l.ns ?? ''}_${i}`) },
      { name: 'labels', type: FieldType.other, values: lines.map((l) => l.labels ?? {}) },
    ],
  });
  frame.fields[0].nanos = lines.map((l) => (l.ns ? Number(l.ns.slice(-6)) : 0));
  frame.meta = { type: DataFrameType.LogLines, preferredVisualisationType: 'logs' };
  return frame;
}
