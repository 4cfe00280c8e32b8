import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Informer } from './informer.js';
import { PODS, eventually, pod, startTestControlPlane, type TestControlPlane } from './cluster/test-control-plane.js';

let cp: TestControlPlane;
const informers: Informer[] = [];

beforeEach(async () => {
  cp = await startTestControlPlane(1);
});

afterEach(async () => {
  for (const i of informers.splice(0)) i.dispose();
  await cp.close();
});

function informer(): Informer {
  const i = new Informer(cp.client, PODS, (e) => console.error(e));
  informers.push(i);
  return i;
}

describe('Informer', () => {
  it('starts with the existing objects (streaming list) and follows changes', async () => {
    await cp.client.create(PODS, 'default', pod('before'));
    const pods = informer();
    const seen: string[] = [];
    pods.onDidChange((e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    await pods.start();
    expect(pods.get('default', 'before')?.metadata.name).toBe('before');
    expect(seen).toEqual(['ADDED before']);

    await cp.client.create(PODS, 'default', pod('after'));
    await cp.client.patch(PODS, 'default', 'before', 'merge', { metadata: { labels: { x: 'y' } } });
    await cp.client.delete(PODS, 'default', 'after', { gracePeriodSeconds: 0 });
    await eventually(() => seen.includes('DELETED after'), 'the deletion');
    expect(seen).toEqual(['ADDED before', 'ADDED after', 'MODIFIED before', 'DELETED after']);
    expect(pods.get('default', 'before')?.metadata.labels).toEqual({ x: 'y' });
    expect(pods.list().map((p) => p.metadata.name)).toEqual(['before']);
  });

  it('shares one frozen object per pod between informers: consumers cannot write to it', async () => {
    await cp.client.create(PODS, 'default', pod('listed'));
    const a = informer();
    const b = informer();
    await Promise.all([a.start(), b.start()]);
    await cp.client.create(PODS, 'default', pod('watched'));
    const watched = await eventually(() => a.get('default', 'watched') && b.get('default', 'watched'), 'the new pod in both informers');
    for (const name of ['listed', 'watched']) {
      const obj = a.get('default', name)!;
      expect(b.get('default', name)).toBe(obj);
      expect(Object.isFrozen(obj)).toBe(true);
      expect(Object.isFrozen(obj.metadata)).toBe(true);
      expect(Object.isFrozen((obj.spec as { containers: unknown[] }).containers[0])).toBe(true);
    }
    expect(() => {
      (watched.metadata as { labels?: Record<string, string> }).labels = { changed: 'yes' };
    }).toThrow(TypeError);
    // What the API serves is unaffected by anything an informer's consumer holds.
    const fresh = await cp.client.get(PODS, 'default', 'watched');
    expect(Object.isFrozen(fresh)).toBe(false);
    fresh.metadata.labels = { mine: 'yes' };
    expect(a.get('default', 'watched')?.metadata.labels).toEqual({});
  });

  it('lists one namespace from its own index, following additions and deletions', async () => {
    await cp.client.create({ group: '', resource: 'namespaces' }, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    await cp.client.create(PODS, 'default', pod('a'));
    await cp.client.create(PODS, 'other', pod('b', {}, {}, 'other'));
    const pods = informer();
    await pods.start();
    await cp.client.create(PODS, 'other', pod('c', {}, {}, 'other'));
    await eventually(() => pods.get('other', 'c'), 'the new pod');
    const names = (ns?: string) => pods.list(ns).map((p) => p.metadata.name).sort();
    expect([names('default'), names('other'), names('none'), names()]).toEqual([['a'], ['b', 'c'], [], ['a', 'b', 'c']]);
    await cp.client.delete(PODS, 'other', 'b', { gracePeriodSeconds: 0 });
    await cp.client.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    await eventually(() => !pods.get('default', 'a') && !pods.get('other', 'b'), 'the deletions');
    expect([names('default'), names('other'), names()]).toEqual([[], ['c'], ['c']]);
  });
});
