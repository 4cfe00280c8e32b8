import { describe, expect, it } from 'vitest';
import { observable, runInAction } from 'mobx';
import type { KubeObject } from '../../shared/kube.js';
import { Collection } from './collection.js';
import { jsonPath } from './json-path.js';
import { matches, parseSelector } from './label-selector.js';
import { podsView } from './pods.js';
import { TableModel, type TableQuery } from './table-model.js';

const pod = (name: string, ns: string, phase: string, labels: Record<string, string> = {}, uid = `${ns}-${name}`): KubeObject => ({
  metadata: { name, namespace: ns, uid, labels, creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'c' }] },
  status: { phase },
});

function setup(pods: KubeObject[]) {
  const collection = new Collection('pods');
  collection.apply({ subscriptionId: 's', reset: pods, upserts: [], deletes: [], listing: false });
  const query = observable.box<TableQuery>({ namespaces: [], text: '', selector: [], column: -1, desc: false });
  const model = new TableModel(podsView, collection, () => query.get());
  const names = () => model.visible.map((r) => r.obj.metadata.name);
  const set = (q: Partial<TableQuery>) => runInAction(() => query.set({ ...query.get(), ...q }));
  return { collection, model, names, set };
}

describe('TableModel', () => {
  it('sorts by namespace then name, by any column, both ways', () => {
    const { names, set } = setup([pod('b', 'x', 'Running'), pod('a', 'y', 'Pending'), pod('c', 'x', 'Failed')]);
    expect(names()).toEqual(['b', 'c', 'a']);
    set({ column: 2 });
    expect(names()).toEqual(['c', 'a', 'b']);
    set({ column: 0, desc: true });
    expect(names()).toEqual(['c', 'b', 'a']);
  });

  it('filters by several namespaces, text and label selector', () => {
    const { names, set } = setup([pod('web-1', 'x', 'Running', { app: 'web' }), pod('db-1', 'y', 'Running', { app: 'db' }), pod('web-2', 'z', 'Pending', { app: 'web', canary: 'true' })]);
    set({ namespaces: ['x', 'z'] });
    expect(names()).toEqual(['web-1', 'web-2']);
    set({ namespaces: [], text: 'pending' });
    expect(names()).toEqual(['web-2']);
    set({ text: '', selector: parseSelector('app=web,!canary') });
    expect(names()).toEqual(['web-1']);
  });

  it('keeps the order when changes arrive one batch at a time, as a full sort would', () => {
    const initial = Array.from({ length: 200 }, (_, i) => pod(`p-${String(i).padStart(3, '0')}`, `ns-${i % 7}`, i % 3 ? 'Running' : 'Pending'));
    const { collection, model, set } = setup(initial);
    set({ column: 2 });
    for (let round = 0; round < 20; round++) {
      const upserts = Array.from({ length: 5 }, (_, k) => {
        const i = (round * 37 + k * 11) % 260;
        return pod(`p-${String(i).padStart(3, '0')}`, `ns-${i % 7}`, (round + k) % 2 ? 'Failed' : 'Running');
      });
      const deletes = [`ns-${round % 7}-p-${String(round * 9).padStart(3, '0')}`];
      collection.apply({ subscriptionId: 's', upserts, deletes, listing: false });
      const expected = [...model.rows.values()].sort(model.compare).map((r) => r.uid);
      expect(model.visible.map((r) => r.uid)).toEqual(expected);
    }
  });
});

describe('TableModel with big batches', () => {
  it('merges batches of hundreds of changes (a streamed list, a relist) into the order a full sort gives, filters applied', () => {
    const make = (i: number, phase: string) => pod(`p-${String(i).padStart(4, '0')}`, `ns-${i % 5}`, phase);
    const { collection, model, set } = setup([]);
    set({ column: 2, namespaces: ['ns-1', 'ns-2', 'ns-4'] });
    for (let round = 0; round < 12; round++) {
      // New rows, rows replaced (another phase), one row twice in the batch, and deletes.
      const upserts = Array.from({ length: 300 }, (_, k) => make((round * 250 + k * 7) % 2000, (round + k) % 3 ? 'Running' : 'Pending'));
      upserts.push(make(round * 3, 'Failed'), make(round * 3, 'Succeeded'));
      const deletes = Array.from({ length: 40 }, (_, k) => { const i = (round * 131 + k * 17) % 2000; return `ns-${i % 5}-p-${String(i).padStart(4, '0')}`; });
      collection.apply({ subscriptionId: 's', upserts, deletes, listing: round < 11 });
      const expected = [...model.rows.values()].filter((r) => ['ns-1', 'ns-2', 'ns-4'].includes(r.namespace)).sort(model.compare).map((r) => r.uid);
      expect(model.visible.map((r) => r.uid)).toEqual(expected);
      expect(new Set(model.visible.map((r) => r.uid)).size).toBe(model.visible.length);
      const twice = model.rows.get(`ns-${(round * 3) % 5}-p-${String(round * 3).padStart(4, '0')}`);
      if (twice) expect(twice.obj.status).toEqual({ phase: 'Succeeded' });
    }
  });
});

describe('label selectors', () => {
  it('parses what kubectl -l takes and says what is wrong', () => {
    const s = parseSelector('app in (web, api),tier!=db,release,!canary');
    expect(matches(s, { app: 'api', release: '1' })).toBe(true);
    expect(matches(s, { app: 'api', release: '1', tier: 'db' })).toBe(false);
    expect(matches(s, { app: 'web' })).toBe(false);
    expect(() => parseSelector('app=(x')).toThrow(/not a label requirement/);
  });
});

describe('jsonPath', () => {
  it('reads the paths CRD printer columns use', () => {
    const o = { spec: { size: 3, items: [{ n: 1 }, { n: 2 }] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Other', status: 'False' }] } };
    expect(jsonPath(o, '.spec.size')).toEqual([3]);
    expect(jsonPath(o, '.spec.items[*].n')).toEqual([1, 2]);
    expect(jsonPath(o, '.spec.items[1].n')).toEqual([2]);
    expect(jsonPath(o, '.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(jsonPath(o, '.spec.missing')).toEqual([]);
  });
});
