import { describe, expect, it } from 'vitest';
import { builtinResources, customResourceDef, isVirtual } from './catalog.js';
import { createThrough, invalidError, resourceDef } from './kinds/strategy-harness.js';

const defs = builtinResources();
const byKey = new Map(defs.map((d) => [`${d.group}/${d.plural}`, d]));

describe('builtinResources', () => {
  it('has each group/plural once, with List kinds and lowercase singulars', () => {
    expect(byKey.size).toBe(defs.length);
    for (const d of defs) {
      expect(d.listKind).toBe(`${d.kind}List`);
      expect(d.singular).toBe(d.kind.toLowerCase());
      expect(d.versions.length).toBeGreaterThan(0);
    }
  });

  it('uses kubectl 1.32 short names, unique across resources except events', () => {
    const expected: Record<string, string[]> = {
      '/pods': ['po'],
      '/services': ['svc'],
      '/configmaps': ['cm'],
      '/componentstatuses': ['cs'],
      '/namespaces': ['ns'],
      '/nodes': ['no'],
      '/endpoints': ['ep'],
      '/persistentvolumes': ['pv'],
      '/persistentvolumeclaims': ['pvc'],
      '/serviceaccounts': ['sa'],
      '/limitranges': ['limits'],
      '/resourcequotas': ['quota'],
      '/replicationcontrollers': ['rc'],
      '/events': ['ev'],
      'apps/deployments': ['deploy'],
      'apps/replicasets': ['rs'],
      'apps/statefulsets': ['sts'],
      'apps/daemonsets': ['ds'],
      'batch/cronjobs': ['cj'],
      'autoscaling/horizontalpodautoscalers': ['hpa'],
      'networking.k8s.io/ingresses': ['ing'],
      'networking.k8s.io/networkpolicies': ['netpol'],
      'policy/poddisruptionbudgets': ['pdb'],
      'scheduling.k8s.io/priorityclasses': ['pc'],
      'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'],
      'storage.k8s.io/storageclasses': ['sc'],
      'certificates.k8s.io/certificatesigningrequests': ['csr'],
    };
    for (const [key, names] of Object.entries(expected)) expect(byKey.get(key)?.shortNames, key).toEqual(names);
    const seen = new Map<string, string>();
    for (const d of defs) {
      for (const s of d.shortNames ?? []) {
        if (s !== 'ev') expect(seen.has(s), `short name ${s} used twice`).toBe(false);
        seen.set(s, d.plural);
      }
    }
  });

  it('puts the "all" category on the workloads kubectl get all shows', () => {
    const all = defs.filter((d) => d.categories?.includes('all')).map((d) => `${d.group}/${d.plural}`).sort();
    expect(all).toEqual(
      [
        '/pods',
        '/replicationcontrollers',
        '/services',
        'apps/daemonsets',
        'apps/deployments',
        'apps/replicasets',
        'apps/statefulsets',
        'autoscaling/horizontalpodautoscalers',
        'batch/cronjobs',
        'batch/jobs',
      ].sort(),
    );
  });

  it('stores under kube-apiserver etcd prefixes', () => {
    const prefixes: Record<string, string> = {
      '/pods': '/registry/pods',
      '/nodes': '/registry/minions',
      '/services': '/registry/services/specs',
      '/endpoints': '/registry/services/endpoints',
      '/replicationcontrollers': '/registry/controllers',
      '/events': '/registry/events',
      'events.k8s.io/events': '/registry/events',
      'networking.k8s.io/ingresses': '/registry/ingress',
      'apps/deployments': '/registry/deployments',
      'rbac.authorization.k8s.io/clusterroles': '/registry/clusterroles',
      'apiextensions.k8s.io/customresourcedefinitions': '/registry/apiextensions.k8s.io/customresourcedefinitions',
      'coordination.k8s.io/leases': '/registry/leases',
      'autoscaling/horizontalpodautoscalers': '/registry/horizontalpodautoscalers',
      'storage.k8s.io/storageclasses': '/registry/storageclasses',
      'discovery.k8s.io/endpointslices': '/registry/endpointslices',
    };
    for (const [key, prefix] of Object.entries(prefixes)) expect(byKey.get(key)?.storagePrefix, key).toBe(prefix);
  });

  it('serves autoscaling v2 first and v1, and the subresources kubectl uses', () => {
    expect(byKey.get('autoscaling/horizontalpodautoscalers')?.versions).toEqual(['v2', 'v1']);
    expect(byKey.get('/pods')?.subresources).toEqual(expect.arrayContaining(['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'ephemeralcontainers']));
    expect(byKey.get('apps/deployments')?.subresources).toEqual(['status', 'scale']);
    expect(byKey.get('/serviceaccounts')?.subresources).toEqual(['token']);
    expect(byKey.get('/namespaces')?.subresources).toEqual(['status', 'finalize']);
    expect(byKey.get('/namespaces')?.verbs).not.toContain('deletecollection');
  });

  it('lists groups in kube-apiserver discovery priority order', () => {
    const groups = [...new Set(defs.map((d) => d.group))];
    expect(groups.slice(0, 8)).toEqual(['', 'apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch']);
    expect(groups.at(-1)).toBe('flowcontrol.apiserver.k8s.io');
  });

  it('marks review and binding resources virtual and create-only', () => {
    const virtual = defs.filter(isVirtual).map((d) => `${d.group}/${d.plural}`).sort();
    expect(virtual).toEqual(
      [
        '/bindings',
        'authentication.k8s.io/selfsubjectreviews',
        'authentication.k8s.io/tokenreviews',
        'authorization.k8s.io/localsubjectaccessreviews',
        'authorization.k8s.io/selfsubjectaccessreviews',
        'authorization.k8s.io/selfsubjectrulesreviews',
        'authorization.k8s.io/subjectaccessreviews',
      ].sort(),
    );
    for (const d of defs.filter(isVirtual)) expect(d.verbs).toEqual(['create']);
  });

  it('gives every resource with a status subresource the status hooks', () => {
    for (const d of defs.filter((x) => x.subresources?.includes('status'))) {
      const key = `${d.group}/${d.plural}`;
      expect(d.strategy.prepareForCreate, key).toBeTypeOf('function');
      expect(d.strategy.prepareForUpdate, key).toBeTypeOf('function');
      expect(d.strategy.prepareForStatusUpdate, key).toBeTypeOf('function');
    }
  });

  it('attaches table printers to the common kinds', () => {
    for (const key of ['/pods', 'apps/deployments', '/services', 'batch/jobs']) {
      const printer = byKey.get(key)?.printer;
      expect(printer, key).toBeDefined();
      expect(printer!.columns[0].name).toBe('Name');
    }
  });
});

const crontabCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    versions: [
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
      },
    ],
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
  },
};

describe('customresourcedefinitions', () => {
  const crds = resourceDef('apiextensions.k8s.io', 'customresourcedefinitions');

  it('establishes a valid CRD at create time', () => {
    const crd = createThrough(crds, crontabCRD);
    const status = crd.status as { acceptedNames: unknown; conditions: { type: string; status: string }[]; storedVersions: string[] };
    expect(status.acceptedNames).toEqual({ plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] });
    expect(status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['NamesAccepted=True', 'Established=True']);
    expect(status.storedVersions).toEqual(['v1']);
    expect((crd.spec as { conversion: unknown }).conversion).toEqual({ strategy: 'None' });
  });

  it('requires the name to be <plural>.<group> and one storage version', () => {
    const bad = structuredClone(crontabCRD);
    bad.metadata.name = 'crontab.stable.example.com';
    bad.spec.versions[0].storage = true;
    const causes = invalidError(() => createThrough(crds, bad)).status.details?.causes;
    expect(causes?.map((c) => c.field)).toEqual(['metadata.name', 'spec.versions']);
    expect(causes?.[0].message).toBe('Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group');
    expect(causes?.[1].message).toMatch(/must have exactly one version marked as storage version$/);
  });

  it('builds the ResourceDef of its custom resources', () => {
    const def = customResourceDef(crontabCRD);
    expect(def).toMatchObject({
      group: 'stable.example.com',
      versions: ['v1', 'v1beta1'],
      kind: 'CronTab',
      listKind: 'CronTabList',
      plural: 'crontabs',
      singular: 'crontab',
      namespaced: true,
      shortNames: ['ct'],
      subresources: ['status', 'scale'],
      storagePrefix: '/registry/stable.example.com/crontabs',
    });
    const ct = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c1', namespace: 'default' }, spec: { cronSpec: '* * * * */5' }, status: { replicas: 3 } };
    const prepared = structuredClone(ct);
    def.strategy.prepareForCreate?.(prepared, { namespace: 'default', user: { username: 'u', groups: [] }, now: new Date(), dryRun: false });
    expect(prepared.status).toBeUndefined();
  });
});
