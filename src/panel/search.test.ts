import { scenarioChains } from '../../tests/support/panelFrames';
import { effectText } from './story';
import { highlightRanges, matchesSearch, parseSearch } from './search';

const chains = scenarioChains(0);
/** What the search finds, as the first line of each card. */
const found = (q: string) =>
  chains
    .filter((c) => matchesSearch(c, parseSearch(q)))
    .map(effectText)
    .sort();

describe('panel search', () => {
  it('parses field prefixes, quotes, and leaves unknown prefixes as text', () => {
    expect(parseSearch('who:Dana  "front end" verdict:"Manual drift" foo:bar')).toEqual([
      { field: 'who', value: 'dana' },
      { field: undefined, value: 'front end' },
      { field: 'verdict', value: 'manual drift' },
      { value: 'foo:bar' },
    ]);
  });

  it('matches people, not the context prose that names them', () => {
    // kim acted five times; eight more only mention kim's RBAC change in their context (the writes of the
    // ServiceAccount it binds, argocd-application-controller).
    expect(found('kim')).toEqual([
      'deleted configmaps shop/feature-flags',
      'deleted deployments shop/legacy-worker',
      'patched deployments payments/payments-api',
      'updated gitrepos fleet-default/payments',
      'updated rolebindings argocd/argocd-admin',
    ]);
    expect(found('context:kim')).toEqual([
      'deleted deployments production/frontend-app',
      'patched deployments orders-staging/orders',
      'patched deployments payments/billing-api',
      'patched deployments shop/checkout',
      'patched deployments shop/checkout',
      'patched deployments web/web-frontend',
      'updated applications argocd/billing',
      'updated applications argocd/frontend-app (status)',
    ]);
  });

  it('matches at the start of a word: "lee" is lee@example.org, not Fleet', () => {
    expect(found('lee')).toEqual([
      'opened a shell (exec) in pods shop/checkout-7d9f8c6b5-x2k4q',
      'patched deployments shop/checkout (scale)',
    ]);
  });

  it('combines terms with AND, and knows the verdict buttons’ words', () => {
    expect(found('dana rollback')).toEqual(['deleted deployments production/frontend-app']);
    const drifts = ['patched deployments shop/checkout (scale)', 'patched deployments shop/storefront-web'];
    expect(found('Manual drift')).toEqual(drifts);
    expect(found('verdict:"manual drift"')).toEqual(drifts);
    // "Manual" is a verdict of its own: the exact button word does not also take Manual drift.
    expect(found('verdict:manual')).toHaveLength(5);
    expect(found('verdict:gitops')).toHaveLength(7);
    expect(found('kim verdict:manual')).toHaveLength(4);
  });

  it('searches the app, namespace and commit fields', () => {
    expect(found('app:storefront')).toHaveLength(2);
    expect(found('ns:payments')).toEqual([
      'patched deployments payments/billing-api',
      'patched deployments payments/payments-api',
    ]);
    // Automations are searched by their name, as the cards say it.
    expect(found('kargo')).toHaveLength(2);
    expect(found('commit:45d9f8')).toEqual(['deleted deployments production/frontend-app']);
    expect(found('45d9f8')).toEqual(['deleted deployments production/frontend-app']);
    expect(found('nobody-has-this')).toEqual([]);
  });

  it('highlights what a term hit, only in the fields it searched', () => {
    const terms = parseSearch('shop who:lee');
    expect(highlightRanges('patched deployments shop/checkout', terms, 'what')).toEqual([[20, 24]]);
    expect(highlightRanges('lee@example.org in shop', terms, 'who')).toEqual([
      [0, 3],
      [19, 23],
    ]);
    expect(highlightRanges('fleet', parseSearch('lee'), 'who')).toEqual([]);
    // The GitOps line holds the app, the commit and who started it.
    const gitops = 'Argo CD frontend-app · rollback · commit 45d9f8a1b2c3 · started by dana@example.org';
    expect(highlightRanges(gitops, parseSearch('commit:45d9 who:dana app:shop'), ['app', 'commit', 'who'])).toEqual([
      [41, 45],
      [67, 71],
    ]);
    expect(highlightRanges('payments/payments-api', parseSearch('ns:payments'), 'what')).toEqual([
      [0, 8],
      [9, 17],
    ]);
  });
});
