// A pod's effective requests and limits, as component-helpers' PodRequests/PodLimits: the sum of
// its containers, at least the largest init container step (sidecars, restartPolicy Always, keep
// running and add up), plus the RuntimeClass overhead when asked.
import { compareQuantity } from '../../registry/kinds/quantity.js';
import { addQuantity, resourceList, type ResourceList } from './resource-list.js';
import { objs, peek, str, type Obj } from './util.js';

type Which = 'requests' | 'limits';

function containerList(container: Obj, which: Which): ResourceList {
  return resourceList(peek(container, 'resources'), which);
}

function addInto(target: ResourceList, list: ResourceList): void {
  for (const [k, v] of Object.entries(list)) target[k] = k in target ? addQuantity(target[k], v) : v;
}

function maxInto(target: ResourceList, list: ResourceList): void {
  for (const [k, v] of Object.entries(list)) if (!(k in target) || compareQuantity(v, target[k]) > 0) target[k] = v;
}

function aggregate(spec: Obj, which: Which): ResourceList {
  const total: ResourceList = {};
  for (const c of objs(spec, 'containers')) addInto(total, containerList(c, which));
  const sidecars: ResourceList = {};
  const initPeak: ResourceList = {};
  for (const c of objs(spec, 'initContainers')) {
    const own = containerList(c, which);
    let step: ResourceList;
    if (str(c, 'restartPolicy') === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      step = { ...sidecars };
    } else {
      step = { ...own };
      addInto(step, sidecars);
    }
    maxInto(initPeak, step);
  }
  maxInto(total, initPeak);
  return total;
}

export function podRequests(spec: Obj, withOverhead = false): ResourceList {
  const reqs = aggregate(spec, 'requests');
  if (withOverhead) addInto(reqs, resourceList(spec, 'overhead'));
  return reqs;
}

export function podLimits(spec: Obj, withOverhead = false): ResourceList {
  const limits = aggregate(spec, 'limits');
  // Overhead only raises limits that are set: an unlimited resource stays unlimited.
  if (withOverhead) {
    for (const [k, v] of Object.entries(resourceList(spec, 'overhead'))) if (k in limits) limits[k] = addQuantity(limits[k], v);
  }
  return limits;
}
