import fc from 'fast-check';

import { parseErrors } from '../../../tests/support/logqlEval';
import { lineQuery, renderCountQuery, renderLogQuery, renderSelector, type LogQuery } from './builder';
import { causeQueries, dependentWritesQuery, effectsQuery, ownerWritesQuery } from './questions';
import { quote, regexAnyOf } from './strings';

/** Go's strconv.Unquote for the escapes quote() writes: what Loki reads back from the literal. */
function unquote(lit: string): string {
  return JSON.parse(lit.replace(/\\x([0-9a-f]{2})/g, '\\u00$1')) as string;
}

describe('LogQL literals', () => {
  it('quote() round-trips any string, including quotes, backslashes, backticks and control characters', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => expect(unquote(quote(s))).toBe(s)));
    expect(quote('a"b\\c`d\n')).toBe('"a\\"b\\\\c`d\\n"');
  });

  it('regexAnyOf() matches exactly the given values, metacharacters taken literally', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }),
        fc.string(),
        (values, other) => {
          const re = new RegExp(`^(?:${regexAnyOf(values)})$`);
          values.forEach((v) => expect(re.test(v)).toBe(true));
          expect(re.test(other)).toBe(values.includes(other));
        }
      )
    );
  });
});

describe('query builder', () => {
  it('renders selector, line filters before | json, then label filters', () => {
    const q: LogQuery = {
      selector: { job: 'kube-audit', cluster: 'prod-eu' },
      lineFilters: [{ op: '|=', value: '"namespace":"shop"' }],
      json: true,
      labelFilters: [{ label: 'objectRef_name', op: '=', value: 'checkout' }],
    };
    expect(renderLogQuery(q)).toBe(
      '{job="kube-audit", cluster="prod-eu"} |= "\\"namespace\\":\\"shop\\"" | json | objectRef_name="checkout"'
    );
    expect(parseErrors(renderLogQuery(q))).toBe(0);
    expect(renderCountQuery(q, '5m', ['objectRef_namespace'])).toMatch(
      /^sum by \(objectRef_namespace\) \(count_over_time\(.* \[5m\]\)\)$/
    );
    expect(parseErrors(renderCountQuery(q, '5m', ['objectRef_namespace']))).toBe(0);
  });

  it('makes template labels after the filters on parsed labels, and filters on them after that', () => {
    const q: LogQuery = {
      selector: { job: 'audit' },
      lineFilters: [],
      json: true,
      labelFormats: [{ label: 'who', template: '{{ default "a\\"b" .user }}' }],
      labelFilters: [
        { label: 'who', op: '!~', value: 'system:.*' },
        { label: 'verb', op: '=', value: 'delete' },
      ],
    };
    const text = renderLogQuery(q);
    expect(text).toBe(
      '{job="audit"} | json | verb="delete" | label_format who="{{ default \\"a\\\\\\"b\\" .user }}" | who!~"system:.*"'
    );
    expect(parseErrors(text)).toBe(0);
  });

  it('refuses bad label names and durations instead of writing them into a query', () => {
    expect(() => renderSelector({ 'job"}|x': 'a' })).toThrow('not a valid Loki label name');
    expect(() => renderSelector({})).toThrow('at least one label');
    expect(() => renderCountQuery(effectsQuery({}), '5 minutes')).toThrow('not a LogQL duration');
  });

  it('every query a question produces parses, whatever the user typed (injection)', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('"} |= "x', '`', '\\', '.*', '(a|b', '"}) or vector(1) #', '\n{job="x"}')
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (resource, namespace, name, actor) => {
        const q = effectsQuery({
          target: { resource, namespace, name },
          actor,
          namespaces: [namespace, name],
          verbs: [resource],
        });
        const text = renderLogQuery(q);
        expect(parseErrors(text)).toBe(0);
        expect(parseErrors(renderCountQuery(q, '1h', ['objectRef_namespace']))).toBe(0);
        // The user's values reach Loki unchanged, as literals.
        for (const f of q.lineFilters.filter((x) => x.op === '|=')) {
          expect(text).toContain(quote(f.value));
        }
      }),
      { numRuns: 300 }
    );
    const causes = causeQueries({
      rancherUsers: ['u-a', 'u-"b|c'],
      argo: true,
      fleet: true,
      driftNames: ['x.*y', 'checkout'],
    });
    for (const q of [causes.rancher, causes.argocd, causes.fleet, causes.controlWrites, causes.priorWrites]) {
      expect(q).toBeDefined();
      expect(parseErrors(renderLogQuery(q as LogQuery))).toBe(0);
    }
    // The cascade's owner and dependent look-ups: names come from attacker-controlled bodies.
    const fromBodies = ['x.*y', 'a"b|c', 'back\\\\slash', '$var', '`tick`'];
    for (const q of [
      ownerWritesQuery({ names: fromBodies, resources: ['replicasets', 'jobs'], namespaces: ['shop', 'p.q'] }),
      ownerWritesQuery({ names: fromBodies, resources: ['deployments'], namespaces: [] }),
      dependentWritesQuery({ names: fromBodies, namespaces: ['shop'] }),
    ]) {
      expect(parseErrors(renderLogQuery(q))).toBe(0);
    }
    expect(renderLogQuery(dependentWritesQuery({ names: ['web.v1'], namespaces: ['shop'] }))).toContain(
      '|~ "\\"name\\":\\"(web\\\\.v1)-"'
    );
  });

  it('pushes the selection down: write verbs, namespace, name and resource become line and label filters', () => {
    expect(
      renderLogQuery(
        effectsQuery({ target: { resource: 'deployment', namespace: 'production', name: 'frontend-app' } })
      )
    ).toBe(
      '{job="kube-audit"} |~ "\\"verb\\":\\"(create|update|patch|delete|deletecollection)\\"" |= "\\"namespace\\":\\"production\\"" ' +
        '|= "\\"name\\":\\"frontend-app\\"" |= "\\"resource\\":\\"deployments\\"" | json | verb=~"create|update|patch|delete|deletecollection" ' +
        '| objectRef_namespace="production" | objectRef_name="frontend-app" | objectRef_resource="deployments"'
    );
  });
});

describe('questions', () => {
  it('namespaces become an anchored alternation, each value literal', () => {
    const q = effectsQuery({ namespaces: ['shop', 'pay.ments'] });
    expect(q.labelFilters).toContainEqual({ label: 'objectRef_namespace', op: '=~', value: 'shop|pay\\.ments' });
    expect(q.lineFilters).toContainEqual({ op: '|~', value: '"namespace":"(shop|pay\\.ments)"' });
  });
});

describe('bounded alternations', () => {
  it('past 200 names or users, a broader filter replaces the alternation', () => {
    const many = Array.from({ length: 201 }, (_, i) => `obj-${i}`);
    const c = causeQueries({ rancherUsers: many, argo: false, fleet: false, driftNames: many });
    expect(c.rancher?.lineFilters).toEqual([]);
    expect(c.priorWrites?.lineFilters[0].value).toContain('argocd-application-controller|fleet-agent');
    expect(parseErrors(renderLogQuery(c.priorWrites as LogQuery))).toBe(0);
  });
});

describe('literals and checks, written out', () => {
  // Catches an escape dropped or changed (a tab, a carriage return or a control character reaching Loki raw,
  // DEL passed through), and a range check that accepts more than a LogQL duration.
  it('quote() escapes tab, CR, control characters and DEL, and leaves a space and non-ASCII alone', () => {
    expect(quote('\t\r\x01\x1f\x7f é')).toBe('"\\t\\r\\x01\\x1f\\x7f é"');
  });

  it('regexAnyOf() escapes every RE2 metacharacter and joins with |', () => {
    expect(regexAnyOf(['a\\.+*?()|[]{}^$b', 'c'])).toBe('a\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$b|c');
  });

  it('label names: letters, digits after the first character, underscores; nothing else', () => {
    expect(renderSelector({ _a1: 'x', B_2: 'y' })).toBe('{_a1="x", B_2="y"}');
    for (const bad of ['1a', 'a-b', 'a b', '', 'é']) {
      expect(() => renderSelector({ [bad]: 'x' })).toThrow('not a valid Loki label name');
    }
  });

  it('a count range is a whole LogQL duration, and no grouping sums everything', () => {
    const q: LogQuery = { selector: { job: 'a' }, lineFilters: [], json: false, labelFilters: [] };
    for (const ok of ['100ms', '30s', '5m', '2h', '1d']) {
      expect(renderCountQuery(q, ok)).toBe(`sum(count_over_time({job="a"} [${ok}]))`);
    }
    for (const bad of ['x5m', '5mx', '5', 'm', '1.5m', '']) {
      expect(() => renderCountQuery(q, bad)).toThrow(`not a LogQL duration: ${bad}`);
    }
    expect(renderCountQuery(q, '5m', ['a', 'b'])).toBe('sum by (a, b) (count_over_time({job="a"} [5m]))');
  });

  it('label filters on a made label come after the label_format that makes it, others before', () => {
    const q: LogQuery = {
      selector: { job: 'a' },
      lineFilters: [{ op: '!=', value: 'x' }],
      json: true,
      labelFormats: [{ label: 'who', template: 't' }],
      labelFilters: [
        { label: 'who', op: '=', value: 'p' },
        { label: 'verb', op: '!=', value: 'get' },
      ],
    };
    expect(renderLogQuery(q)).toBe('{job="a"} != "x" | json | verb!="get" | label_format who="t" | who="p"');
  });

  // Catches lineQuery parsing lines it only filters (a `| json` on every line of phase 2 and Explore links).
  it('a line query filters lines and parses none', () => {
    expect(renderLogQuery(lineQuery({ job: 'a' }, [{ op: '|=', value: 'x' }]))).toBe('{job="a"} |= "x"');
  });
});
