import type { TemplateSrv } from '@grafana/runtime';

/**
 * `$` in generated LogQL (issue 22): Grafana's Loki data source runs the finished expression through
 * `getTemplateSrv().replace` (its `applyTemplateVariables`). This double implements that interface the way
 * public/app/features/templating/template_srv.ts does — `$name`, `[[name]]`, `${name}` and `${name:format}` are
 * replaced when the variable exists, left as written when not — with the formats the dashboard uses
 * (percentencode as @grafana/scenes' formatRegistry writes it: encodeURIComponent, plus `!'()*`).
 */
export function templateSrv(vars: Record<string, string>): Pick<TemplateSrv, 'replace'> {
  const pattern = /\$(\w+)|\[\[([\s\S]+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::(\w+))?\}/g;
  const format = (v: string, fmt?: string) =>
    fmt === 'percentencode'
      ? encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      : v;
  return {
    replace: (target = '') =>
      target.replace(
        pattern,
        (match, a?: string, b?: string, bFmt?: string, c?: string, _path?: string, cFmt?: string) => {
          const name = a ?? b ?? c ?? '';
          return name in vars ? format(vars[name], bFmt ?? cFmt) : match;
        }
      ),
  };
}

/** Variables a dashboard defines, each expanding to a word no query holds. */
export const DEFINED = { app: 'EXPANDED', ns: 'EXPANDED', __interval: '1m', __user: 'EXPANDED' };
/** Values from logs or a person that Grafana would expand if they reached it as written. */
export const HOSTILE = ['$app', '${app}', '${app:raw}', '[[app]]', '[[app:raw]]', 'x$ns', '$__interval', '${__user.login}'];
