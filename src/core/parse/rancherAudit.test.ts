import { rancherAudit } from '../../../tests/support/builders';
import { parseAll, parseOne, skipCounts } from '../../../tests/support/parse';
import { sampleLines } from '../../../tests/support/shared';

describe('parseRancherAuditEvent — our fixtures', () => {
  it('v2.2+ through the cluster proxy: cluster + downstream path, login name, real client IP, token id', () => {
    const e = parseOne(rancherAudit());
    expect(e).toMatchObject({
      id: 'rancher-audit:0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90',
      source: 'rancher-audit',
      format: 'rancher-audit/v2.2+',
      verb: 'delete',
      // Whole seconds with the server's offset: 11:20:05+01:00 is 10:20:05Z.
      time: Date.UTC(2026, 2, 2, 10, 20, 5),
      ns: '1772446805000000000',
      actor: {
        name: 'u-q8z3n',
        kind: 'human',
        loginName: 'kim',
        principalId: 'local://u-q8z3n',
        requestTokenId: 'token-4hx9p',
        requestHost: 'rancher.example.org',
        via: [],
      },
      sourceIPs: ['198.51.100.44', '10.42.0.17'],
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0',
      target: { cluster: 'c-m-7xk2q', apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'checkout' },
      outcome: { code: 200, status: 'success' },
      keys: {
        rancherAuditID: '0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90',
        downstreamURI: '/apis/apps/v1/namespaces/shop/deployments/checkout',
        requestTokenId: 'token-4hx9p',
      },
    });
  });

  it('takes the first X-Forwarded-For hop, then X-Real-Ip, then the TCP peer', () => {
    const xff = parseOne(
      rancherAudit({ requestHeader: { 'X-Forwarded-For': ['192.0.2.9, 10.0.0.2'], 'X-Real-Ip': ['10.0.0.2'] } })
    );
    expect(xff.sourceIPs).toEqual(['192.0.2.9', '10.0.0.2', '10.42.0.17']);
    const realIp = parseOne(
      rancherAudit({
        requestHeader: { 'X-Forwarded-For': undefined, 'X-Real-Ip': undefined, 'x-real-ip': ['192.0.2.10'] },
      })
    );
    expect(realIp.sourceIPs[0]).toBe('192.0.2.10');
    // No headers recorded (Rancher ≥ 2.12 at audit level 0): the TCP peer is the ingress, never the client.
    const peer = parseOne(rancherAudit({ requestHeader: undefined, remoteAddr: '[2001:db8::7]:443' }));
    expect(peer.sourceIPs).toEqual([]);
    expect(peer.proxyIPs).toEqual(['2001:db8::7']);
  });

  it('reads the pre-release camelCase extras (rancher/rancher#31166) case-insensitively', () => {
    const e = parseOne(
      rancherAudit({
        user: {
          extra: {
            principalid: undefined,
            username: undefined,
            principalId: ['openldap_user://uid=kim'],
            userName: ['kim'],
          },
        },
      })
    );
    expect(e.actor).toMatchObject({ loginName: 'kim', principalId: 'openldap_user://uid=kim' });
  });

  it('v2.0–2.1 legacy shape: verb, stages collapsed, string status, "2006-01-02 15:04:05 -0700" time', () => {
    const base = {
      auditID: '7d1e2f3a-1111-4222-8333-944455556666',
      requestURI: '/v3/clusters/c-7xk2q?action=generateKubeconfig',
      sourceIPs: ['::1'],
      user: { name: 'user-f4tt2', group: ['system:authenticated'] },
      verb: 'POST',
      stage: 'RequestReceived',
      stageTimestamp: '2018-07-20 10:22:43 +0800',
    };
    const s = parseAll([
      base,
      { ...base, stage: 'ResponseComplete', responseStatus: '200', stageTimestamp: '2018-07-20 10:22:44 +0800' },
    ]);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      format: 'rancher-audit/v2.0',
      verb: 'action:generateKubeconfig',
      time: Date.UTC(2018, 6, 20, 2, 22, 43),
      actor: { name: 'user-f4tt2', kind: 'human' },
      target: { apiGroup: 'management.cattle.io', resource: 'clusters', name: 'c-7xk2q' },
      outcome: { code: 200, status: 'success' },
      stages: ['RequestReceived', 'ResponseComplete'],
    });
  });

  it('v2.12+ shape with map bodies: a GitRepo edit says what it set', () => {
    const e = parseOne(
      rancherAudit({
        requestURI: '/v1/fleet.cattle.io.gitrepos/fleet-default/payments',
        method: 'PUT',
        requestBody: {
          metadata: { name: 'payments', labels: { 'fleet.cattle.io/created-by-user-id': 'u-q8z3n' } },
          spec: { paused: true, forceSyncGeneration: 4, repo: 'https://git.example.org/payments.git' },
        },
      })
    );
    expect(e).toMatchObject({
      verb: 'update',
      target: { apiGroup: 'fleet.cattle.io', resource: 'gitrepos', namespace: 'fleet-default', name: 'payments' },
      changedFields: {
        'spec.paused': 'true',
        'spec.forceSyncGeneration': '4',
        'spec.repo': '"https://git.example.org/payments.git"',
      },
      marks: { fleetCreatedByUserId: 'u-q8z3n' },
    });
    expect(e.target.cluster).toBeUndefined();
  });

  it('impersonation through Rancher (--as): requestUser is the actor, the caller a via hop', () => {
    const e = parseOne(rancherAudit({ user: { requestUser: 'dev-bot', requestGroups: ['devs'] } }));
    expect(e.actor).toMatchObject({
      name: 'dev-bot',
      groups: ['devs'],
      via: [{ name: 'u-q8z3n', mechanism: 'impersonation' }],
    });
  });

  it('redacts Secret bodies sent through the steve API', () => {
    const e = parseOne(
      rancherAudit({
        requestURI: '/v1/secrets/shop',
        method: 'POST',
        requestBody: { type: 'secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' } },
      }),
      { keepBodies: true }
    );
    expect(JSON.stringify(e.body)).not.toContain('aHVudGVyMg');
    expect(e.target).toMatchObject({ resource: 'secrets', namespace: 'shop' });
  });

  it('skips lines with a bad timestamp or wrong types, by reason', () => {
    const s = parseAll([
      rancherAudit({ requestTimestamp: 'Tuesday' }),
      rancherAudit({ responseCode: 'ok' }),
      rancherAudit({ method: 7 }),
    ]);
    expect(skipCounts(s)).toEqual({ 'rancher-audit:invalid-timestamp': 1, 'rancher-audit:invalid-field': 2 });
  });
});

describe('parseRancherAuditEvent — real samples', () => {
  it('Harvester Rancher v2.10.1 lines (level 2): POST through steve, admin via X-Forwarded-For', () => {
    const vmLines = sampleLines('harvester_rancher_audit_line113.log');
    const vmRaw = JSON.parse(vmLines[0].text) as { auditID: string; user: { extra: { principalid: string[] } } };
    const vm = parseOne(vmLines);
    expect(vm).toMatchObject({
      format: 'rancher-audit/v2.2+',
      verb: 'create',
      time: Date.UTC(2025, 2, 7, 9, 20, 23),
      actor: { name: 'user-vxq5m', kind: 'human', loginName: 'admin', principalId: vmRaw.user.extra.principalid[0] },
      sourceIPs: ['192.168.122.145', '10.52.0.237'],
      target: { apiGroup: 'kubevirt.io', resource: 'virtualmachines', namespace: 'default' },
      outcome: { code: 201, status: 'success' },
      keys: { rancherAuditID: vmRaw.auditID },
    });
    const secret = parseOne(sampleLines('harvester_rancher_audit_line116.log'), { keepBodies: true });
    expect(secret).toMatchObject({
      verb: 'create',
      target: { resource: 'secrets', namespace: 'default' },
      userAgent: expect.stringContaining('Chrome/132'),
    });
    expect(secret.body?.request).toMatchObject({ data: '[redacted]', type: 'secret' });
  });

  it('issue excerpts cut mid-line: the prefix is salvaged and marked truncated', () => {
    const cut = parseAll(sampleLines('issue_31166_rancher_api.txt'));
    expect(cut.events).toHaveLength(1);
    expect(cut.events[0]).toMatchObject({
      truncated: true,
      verb: 'create',
      actor: { name: 'user-h9vkf', loginName: 'testuser1' },
      // Cut before any request header: remoteAddr is only the TCP peer.
      sourceIPs: [],
      proxyIPs: ['172.31.36.137'],
      time: Date.UTC(2021, 4, 3, 19, 15, 38),
      outcome: { status: 'unknown' },
    });
    const wrapped = parseAll(sampleLines('issue_33126_rancher_api.txt'));
    expect(wrapped.events).toHaveLength(1);
    expect(wrapped.events[0]).toMatchObject({
      truncated: true,
      verb: 'list',
      actor: { name: 'user-gpr69' },
      target: { cluster: 'c-mfswt', resource: 'nodes' },
      outcome: { code: 200, status: 'success' },
    });
  });
});
