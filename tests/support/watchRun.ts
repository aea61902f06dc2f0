/**
 * The recorded scenarios the watch tests share: generated lines of these scenarios, recorded for cluster
 * prod-eu by `provenance watch` over three hours in 10-minute windows.
 */
export const WATCH_SCENARIOS = 'drift-self-heal,rancher-proxy-delete,auto-sync';
export const WATCH_FROM = '2026-03-02T09:30:00Z';
export const WATCH_UNTIL = '2026-03-02T12:30:00Z';

/** `provenance watch` arguments on the emulator at `url`, recording from WATCH_FROM to `until`. */
export const watchArgs = (url: string, until = WATCH_UNTIL, ...more: string[]) => [
  'watch',
  '--loki',
  url,
  '--from',
  WATCH_FROM,
  '--until',
  until,
  '--cluster',
  'prod-eu',
  '--window',
  '10m',
  '--backoff',
  '20ms',
  ...more,
];
