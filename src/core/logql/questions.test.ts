import { renderLogQuery } from './builder';
import {
  causeQueries,
  clusterSelectors,
  DEFAULT_SELECTORS,
  effectsQuery,
  MAX_ALTERNATION,
  rancherTargetQuery,
} from './questions';
import { classesFilteredInLoki, routineLineFilters } from './routineFilters';

/**
 * The queries of a question, written out by hand from what they must select: the kube-apiserver audit fields
 * (`audit.k8s.io/v1` Event, compact JSON: `"verb":"patch"`, `"namespace":"shop"` inside `objectRef`), the
 * labels `| json` makes of them (`objectRef_namespace`), and the write verbs of the Kubernetes API.
 */

const WRITES = 'create|update|patch|delete|deletecollection';
const VERB_LINE = { op: '|~', value: `"verb":"(${WRITES})"` };

describe('effectsQuery, written out', () => {
  it('a question with no selection asks for every write in the audit stream, parsed and checked by verb', () => {
    expect(effectsQuery({})).toEqual({
      selector: { job: 'kube-audit' },
      lineFilters: [VERB_LINE],
      json: true,
      labelFilters: [{ label: 'verb', op: '=~', value: WRITES }],
    });
  });

  it('the verbs asked for replace the write verbs; an empty list means every write verb', () => {
    expect(effectsQuery({ verbs: ['delete'] }).lineFilters).toEqual([{ op: '|~', value: '"verb":"(delete)"' }]);
    expect(effectsQuery({ verbs: ['delete'] }).labelFilters).toEqual([{ label: 'verb', op: '=~', value: 'delete' }]);
    expect(effectsQuery({ verbs: [] }).lineFilters).toEqual([VERB_LINE]);
  });

  it('empty and `*` selections select nothing; free text and the actor are substring pre-filters, in that order', () => {
    const q = effectsQuery({
      target: { resource: '*', namespace: '', name: '*' },
      namespaces: ['', '*'],
      text: 'kubectl-edit',
      actor: 'kim',
    });
    expect(q.lineFilters).toEqual([VERB_LINE, { op: '|=', value: 'kubectl-edit' }, { op: '|=', value: 'kim' }]);
    expect(q.labelFilters).toEqual([{ label: 'verb', op: '=~', value: WRITES }]);
    expect(effectsQuery({ text: '', actor: '*' }).lineFilters).toEqual([VERB_LINE]);
  });

  it('a resource is matched by its plural, lower-case name (objectRef.resource), however it was typed', () => {
    const resourceOf = (resource: string) =>
      effectsQuery({ target: { resource } }).labelFilters.find((f) => f.label === 'objectRef_resource')?.value;
    expect(resourceOf('Deployment')).toBe('deployments');
    expect(resourceOf('pods')).toBe('pods');
    expect(resourceOf('ConfigMaps')).toBe('configmaps');
    expect(effectsQuery({ target: { resource: 'Pod' } }).lineFilters).toContainEqual({
      op: '|=',
      value: '"resource":"pods"',
    });
  });

  it('values reach the line filter as JSON strings, quotes and backslashes escaped as the audit log writes them', () => {
    expect(effectsQuery({ target: { name: 'a"b\\c' } }).lineFilters).toContainEqual({
      op: '|=',
      value: '"name":"a\\"b\\\\c"',
    });
  });

  it('without `exact` (trace), only the line filters run in Loki: no `| json`, no label filter', () => {
    const q = effectsQuery({ target: { namespace: 'shop' } }, DEFAULT_SELECTORS, false);
    expect(q).toEqual({
      selector: { job: 'kube-audit' },
      lineFilters: [VERB_LINE, { op: '|=', value: '"namespace":"shop"' }],
      json: false,
      labelFilters: [],
    });
    expect(renderLogQuery(q)).toBe(
      '{job="kube-audit"} |~ "\\"verb\\":\\"(create|update|patch|delete|deletecollection)\\"" |= "\\"namespace\\":\\"shop\\""'
    );
  });

  it('reads the audit stream the selectors name, and the default one when they name none', () => {
    expect(effectsQuery({}, { 'kube-audit': { app: 'apiserver' } }).selector).toEqual({ app: 'apiserver' });
    expect(effectsQuery({}, {}).selector).toEqual({ job: 'kube-audit' });
  });

  it('routine classes left out become one `!~` filter after the selection; none left out, none added', () => {
    const q = effectsQuery({ actor: 'kim', leaveOut: ['leases'] });
    expect(q.lineFilters).toHaveLength(3);
    expect(q.lineFilters.slice(0, 2)).toEqual([VERB_LINE, { op: '|=', value: 'kim' }]);
    expect(q.lineFilters[2].op).toBe('!~');
    expect(q.lineFilters[2]).toEqual(routineLineFilters(['leases'])[0]);
  });
});

describe('clusterSelectors', () => {
  it('narrows each default stream to the cluster', () => {
    expect(clusterSelectors('prod-eu')).toEqual({
      'kube-audit': { job: 'kube-audit', cluster: 'prod-eu' },
      'rancher-audit': { job: 'rancher-audit', cluster: 'prod-eu' },
      argocd: { job: 'argocd', cluster: 'prod-eu' },
      fleet: { job: 'fleet', cluster: 'prod-eu' },
    });
    // The defaults themselves are left as they were.
    expect(DEFAULT_SELECTORS['kube-audit']).toEqual({ job: 'kube-audit' });
  });
});

describe('causeQueries, written out', () => {
  const none = { rancherUsers: [], argo: false, fleet: false, driftNames: [] };

  it('always asks for the RBAC, Application and GitRepo writes, and nothing else when nothing else is needed', () => {
    expect(causeQueries(none)).toEqual({
      controlWrites: {
        selector: { job: 'kube-audit' },
        lineFilters: [
          {
            op: '|~',
            value: '"resource":"(roles|rolebindings|clusterroles|clusterrolebindings|applications|gitrepos)"',
          },
          VERB_LINE,
        ],
        json: false,
        labelFilters: [],
      },
    });
  });

  it('each need adds its stream: Rancher by user, Argo CD and Fleet whole, Rancher GitRepo edits, prior writes by name', () => {
    const c = causeQueries({ rancherUsers: ['u-abc', 'u.x'], argo: true, fleet: true, driftNames: ['checkout'] });
    const line = (selector: Record<string, string>, lineFilters: unknown[]) => ({
      selector,
      lineFilters,
      json: false,
      labelFilters: [],
    });
    expect(c.rancher).toEqual(line({ job: 'rancher-audit' }, [{ op: '|~', value: 'u-abc|u\\.x' }]));
    expect(c.argocd).toEqual(line({ job: 'argocd' }, []));
    expect(c.fleet).toEqual(line({ job: 'fleet' }, []));
    expect(c.rancherGitRepos).toEqual(line({ job: 'rancher-audit' }, [{ op: '|=', value: 'gitrepos' }]));
    expect(c.priorWrites).toEqual(line({ job: 'kube-audit' }, [{ op: '|~', value: '"name":"(checkout)"' }, VERB_LINE]));
  });

  it('reads the streams the selectors name', () => {
    const selectors = clusterSelectors('c1');
    const c = causeQueries({ rancherUsers: ['u'], argo: true, fleet: true, driftNames: ['n'] }, selectors);
    expect(c.controlWrites.selector).toEqual({ job: 'kube-audit', cluster: 'c1' });
    expect(c.rancher?.selector).toEqual({ job: 'rancher-audit', cluster: 'c1' });
    expect(c.argocd?.selector).toEqual({ job: 'argocd', cluster: 'c1' });
    expect(c.fleet?.selector).toEqual({ job: 'fleet', cluster: 'c1' });
    expect(c.rancherGitRepos?.selector).toEqual({ job: 'rancher-audit', cluster: 'c1' });
    expect(c.priorWrites?.selector).toEqual({ job: 'kube-audit', cluster: 'c1' });
  });

  it('a stream the selectors leave out is read from its default', () => {
    const c = causeQueries({ rancherUsers: ['u'], argo: true, fleet: true, driftNames: ['n'] }, {});
    expect(c.controlWrites.selector).toEqual({ job: 'kube-audit' });
    expect(c.rancher?.selector).toEqual({ job: 'rancher-audit' });
    expect(c.argocd?.selector).toEqual({ job: 'argocd' });
    expect(c.fleet?.selector).toEqual({ job: 'fleet' });
    expect(c.rancherGitRepos?.selector).toEqual({ job: 'rancher-audit' });
    expect(c.priorWrites?.selector).toEqual({ job: 'kube-audit' });
  });

  it('up to 200 users or names are named one by one; the 201st switches to the broad filter', () => {
    expect(MAX_ALTERNATION).toBe(200);
    const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);
    const at = causeQueries({ rancherUsers: names(200), argo: false, fleet: false, driftNames: names(200) });
    expect(at.rancher?.lineFilters).toEqual([{ op: '|~', value: names(200).join('|') }]);
    expect(at.priorWrites?.lineFilters[0]).toEqual({ op: '|~', value: `"name":"(${names(200).join('|')})"` });
    const past = causeQueries({ rancherUsers: names(201), argo: false, fleet: false, driftNames: names(201) });
    expect(past.priorWrites?.lineFilters).toEqual([
      {
        op: '|~',
        value: '"username":"system:serviceaccount:[^"]*:(argocd-application-controller|fleet-agent)"',
      },
      VERB_LINE,
    ]);
  });
});

describe('classesFilteredInLoki', () => {
  it('every class but health: health requests are reads of no resource, never in phase 1', () => {
    expect(classesFilteredInLoki(['health', 'leases', 'events'])).toEqual(['leases', 'events']);
    expect(classesFilteredInLoki(['health'])).toEqual([]);
  });

  it('no class, or health alone, adds no filter', () => {
    expect(routineLineFilters([])).toEqual([]);
    expect(routineLineFilters(['health'])).toEqual([]);
  });
});

describe('the generators behind generated Applications', () => {
  const none = { rancherUsers: [], argo: false, fleet: false, driftNames: [] };

  it('asks for the named ApplicationSets’ writes and Argo CD’s records of them', () => {
    const c = causeQueries({ ...none, appSets: ['shop-envs', 'a.b'] });
    expect(renderLogQuery(c.appSetWrites!)).toBe(
      `{job="kube-audit"} |= "\\"resource\\":\\"applicationsets\\"" |~ "\\"verb\\":\\"(${WRITES})\\"" |~ "\\"name\\":\\"(shop-envs|a\\\\.b)\\""`
    );
    expect(renderLogQuery(c.appSetMessages!)).toBe('{job="argocd"} |= "ApplicationSet" |~ "shop-envs|a\\\\.b"');
  });

  it('none asked when no Application was generated', () => {
    expect(causeQueries(none).appSetWrites).toBeUndefined();
    expect(causeQueries({ ...none, appSets: [] }).appSetMessages).toBeUndefined();
  });

  it('past the alternation limit, every ApplicationSet write and message instead of naming each', () => {
    const many = Array.from({ length: MAX_ALTERNATION + 1 }, (_, i) => `set-${i}`);
    const c = causeQueries({ ...none, appSets: many });
    expect(renderLogQuery(c.appSetWrites!)).toBe(
      `{job="kube-audit"} |= "\\"resource\\":\\"applicationsets\\"" |~ "\\"verb\\":\\"(${WRITES})\\""`
    );
    expect(renderLogQuery(c.appSetMessages!)).toBe('{job="argocd"} |= "ApplicationSet"');
  });
});

describe('rancherTargetQuery: a GitRepo edited in Rancher may have only Rancher’s record', () => {
  it('a GitRepo question reads Rancher’s records that name it', () => {
    const q = rancherTargetQuery({ target: { resource: 'gitrepos', namespace: 'fleet-default', name: 'payments' } });
    expect(renderLogQuery(q!)).toBe('{job="rancher-audit"} |= "gitrepos" |= "fleet-default" |= "payments"');
    expect(renderLogQuery(rancherTargetQuery({ target: { resource: 'GitRepo' } }, clusterSelectors('c1'))!)).toBe(
      '{job="rancher-audit", cluster="c1"} |= "gitrepos"'
    );
  });

  it('no other question does', () => {
    expect(rancherTargetQuery({ target: { resource: 'deployments', name: 'payments' } })).toBeUndefined();
    expect(rancherTargetQuery({ target: { name: 'payments' } })).toBeUndefined();
    expect(rancherTargetQuery({})).toBeUndefined();
  });
});
