/**
 * Explore on a Loki data source, running `expr` five minutes either side of `time`: Explore's `panes` URL
 * (schemaVersion 1; the legacy `left=` form is only migrated), under Grafana's sub-path (`subUrl`) when it has one.
 */
export function explorePanesUrl(lokiUid: string, expr: string, time: number, subUrl = ''): string {
  const pane = {
    datasource: lokiUid,
    queries: [{ refId: 'A', expr, queryType: 'range', datasource: { type: 'loki', uid: lokiUid } }],
    range: { from: String(time - 300_000), to: String(time + 300_000) },
  };
  const panes = encodeURIComponent(JSON.stringify({ provenance: pane }));
  return `${subUrl}/explore?schemaVersion=1&panes=${panes}`;
}
