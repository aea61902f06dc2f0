import { argoLog, kubeAudit } from '../../../../tests/support/builders';
import { eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkAppGenerator } from './appGenerator';
import { linkGitopsApply } from './gitopsApply';

const APPSET_SA = 'system:serviceaccount:argocd:argocd-applicationset-controller';
const generatedApp = (over: Record<string, unknown> = {}) =>
  kubeAudit({
    verb: 'create',
    level: 'Request',
    requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications',
    user: { username: APPSET_SA, groups: ['system:serviceaccounts'] },
    userAgent: 'argocd-applicationset-controller/v2.14.9',
    objectRef: {
      resource: 'applications',
      namespace: 'argocd',
      name: 'shop-envs-eu',
      apiGroup: 'argoproj.io',
      apiVersion: 'v1alpha1',
    },
    requestObject: {
      kind: 'Application',
      metadata: {
        name: 'shop-envs-eu',
        namespace: 'argocd',
        ownerReferences: [{ kind: 'ApplicationSet', name: 'shop-envs', controller: true }],
      },
    },
    requestReceivedTimestamp: '2026-03-02T11:00:05.000000Z',
    ...over,
  });
const appSetEdit = kubeAudit({
  auditID: 'edit-1',
  verb: 'patch',
  requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applicationsets/shop-envs',
  objectRef: {
    resource: 'applicationsets',
    namespace: 'argocd',
    name: 'shop-envs',
    apiGroup: 'argoproj.io',
    apiVersion: 'v1alpha1',
  },
  requestReceivedTimestamp: '2026-03-02T11:00:01.000000Z',
});

/** argocd-server's audit message of a person's change of ApplicationSet shop-envs. */
const appSetMessage = (over: Record<string, unknown> = {}) =>
  argoLog({
    application: undefined,
    'app-namespace': undefined,
    name: 'shop-envs',
    msg: 'lee@example.org updated ApplicationSets spec',
    user: 'lee@example.org',
    reason: 'ResourceUpdated',
    time: '2026-03-02T11:00:02Z',
    ...over,
  });

function link(records: object[]) {
  const events = eventsOf(records);
  const e = events.find((x) => x.actor.name === APPSET_SA);
  if (!e) {
    throw new Error('no generated Application');
  }
  return linkAppGenerator(e, ruleContext(events));
}

describe('app-generator rule', () => {
  it('the owning ApplicationSet explains the write; the last kubectl change of it names the person', () => {
    const g = link([generatedApp(), appSetEdit]);
    expect(g?.appSet).toBe('shop-envs');
    expect(g?.edit?.actor.name).toBe('dana@example.org');
    expect(g?.hits.map((h) => h.link.evidence)).toEqual([
      [
        `applications argocd/shop-envs-eu was written by the ApplicationSet controller (${APPSET_SA})`,
        'its ownerReference names ApplicationSet shop-envs: the generator made this change',
      ],
      [
        'dana@example.org patched ApplicationSet shop-envs at 2026-03-02T11:00:01Z',
        'the latest change of ApplicationSet shop-envs, 4 s before this write',
      ],
    ]);
  });

  it("or argocd-server's ApplicationSet audit message", () => {
    const g = link([generatedApp(), appSetMessage()]);
    expect(g?.edit?.gitops?.initiator).toBe('lee@example.org');
  });

  it('with no change of the generator found, the chain still says the generator made it', () => {
    const g = link([generatedApp()]);
    expect(g?.edit).toBeUndefined();
    expect(g?.hits).toHaveLength(1);
  });

  it('not for Applications without an ApplicationSet owner', () => {
    expect(link([generatedApp({ requestObject: { kind: 'Application', metadata: { name: 'x' } } })])).toBeUndefined();
  });
});

describe('app-of-apps', () => {
  it("a child Application written during the parent's sync is explained by that sync via the parent's tracking id", () => {
    const events = eventsOf([
      kubeAudit({
        verb: 'patch',
        requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/payments?fieldManager=argocd-controller',
        user: { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: [] },
        userAgent: 'argocd-application-controller/v3.1.8',
        objectRef: { resource: 'applications', namespace: 'argocd', name: 'payments', apiGroup: 'argoproj.io' },
        requestObject: {
          metadata: {
            annotations: { 'argocd.argoproj.io/tracking-id': 'platform-root:argoproj.io/Application:argocd/payments' },
          },
        },
        requestReceivedTimestamp: '2026-03-02T11:10:03.000000Z',
      }),
      argoLog({
        application: 'platform-root',
        'dest-namespace': 'argocd',
        msg: 'lee@example.org initiated sync to HEAD',
        user: 'lee@example.org',
        time: '2026-03-02T11:10:00Z',
      }),
    ]);
    const [h] = linkGitopsApply(
      events.find((e) => e.source === 'kube-audit')!,
      ruleContext(events)
    );
    expect(h.cause.gitops).toMatchObject({ app: 'platform-root', initiator: 'lee@example.org' });
    expect(h.link.evidence[1]).toBe(
      "the object's argocd.argoproj.io/tracking-id is platform-root:argoproj.io/Application:argocd/payments"
    );
  });
});

describe('app-generator rule, its edges', () => {
  it("argocd-server's message is quoted, and it is the latest change when it follows the kubectl edit", () => {
    const g = link([generatedApp(), appSetEdit, appSetMessage()]);
    expect(g?.hits[1].link).toMatchObject({
      confidence: 0.8,
      evidence: [
        'argocd-server logged "lee@example.org updated ApplicationSets spec" at 2026-03-02T11:00:02Z',
        'the latest change of ApplicationSet shop-envs, 3 s before this write',
      ],
    });
    // The earlier message, the later kubectl edit: the edit.
    const later = link([generatedApp(), appSetEdit, appSetMessage({ time: '2026-03-02T11:00:00Z' })]);
    expect(later?.edit?.actor.name).toBe('dana@example.org');
  });

  it('a verb not ending in e is written with -ed', () => {
    const g = link([generatedApp(), { ...appSetEdit, verb: 'update' }]);
    expect(g?.hits[1].link.evidence[0]).toBe(
      'dana@example.org updated ApplicationSet shop-envs at 2026-03-02T11:00:01Z'
    );
    const created = link([generatedApp(), { ...appSetEdit, verb: 'create' }]);
    expect(created?.hits[1].link.evidence[0]).toMatch(/^dana@example.org created /);
  });

  it("not a change of the generator: a controller's write of it, another ApplicationSet, a later or too old edit", () => {
    const controllerWrite = {
      ...appSetEdit,
      user: { username: 'system:serviceaccount:argocd:argocd-applicationset-controller', groups: [] },
    };
    expect(link([generatedApp(), controllerWrite])?.edit).toBeUndefined();
    expect(
      link([generatedApp(), { ...appSetEdit, objectRef: { ...(appSetEdit.objectRef as object), name: 'other' } }])?.edit
    ).toBeUndefined();
    expect(
      link([generatedApp(), { ...appSetEdit, requestReceivedTimestamp: '2026-03-02T11:00:06.000000Z' }])?.edit
    ).toBeUndefined();
    expect(
      link([generatedApp(), { ...appSetEdit, requestReceivedTimestamp: '2026-02-20T11:00:00.000000Z' }])?.edit
    ).toBeUndefined();
    expect(link([generatedApp(), appSetMessage({ name: 'other' })])?.edit).toBeUndefined();
  });

  it('only the ApplicationSet controller, only Applications', () => {
    const events = eventsOf([generatedApp()]);
    const e = events[0];
    expect(
      linkAppGenerator({ ...e, target: { ...e.target, resource: 'appprojects' } }, ruleContext(events))
    ).toBeUndefined();
    expect(linkAppGenerator({ ...e, time: undefined }, ruleContext(events))).toBeUndefined();
    expect(
      linkAppGenerator({ ...e, actor: { ...e.actor, name: `${APPSET_SA}x` } }, ruleContext(events))
    ).toBeUndefined();
    // Another account whose name merely ends so is not the controller.
    expect(
      linkAppGenerator(
        { ...e, actor: { ...e.actor, name: 'system:serviceaccount:argocd:not-argocd-applicationset-controller' } },
        ruleContext(events)
      )
    ).toBeUndefined();
    expect(
      linkAppGenerator({ ...e, actor: { ...e.actor, name: 'argocd-applicationset-controller' } }, ruleContext(events))
        ?.appSet
    ).toBe('shop-envs');
  });
});
