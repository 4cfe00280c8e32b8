// DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): pods tolerate a
// not-ready or unreachable node for 5 minutes before the taint manager evicts them.
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, isResource, objs, str } from './util.js';

export const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

export class DefaultTolerationSecondsPlugin implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';

  constructor(private readonly seconds = DEFAULT_TOLERATION_SECONDS) {}

  async admit(attributes: AdmissionAttributes): Promise<void> {
    if (attributes.operation !== 'CREATE' && attributes.operation !== 'UPDATE') return;
    if (!isResource(attributes, '', 'pods') || attributes.subresource !== '' || !attributes.object) return;
    const spec = child(attributes.object, 'spec');
    const tolerations = objs(spec, 'tolerations');
    // An empty key or effect is a wildcard, so such a toleration already covers the taint.
    const tolerates = (key: string) =>
      tolerations.some((t) => {
        const k = str(t, 'key') ?? '';
        const effect = str(t, 'effect') ?? '';
        return (k === key || k === '') && (effect === 'NoExecute' || effect === '');
      });
    const added = [NOT_READY, UNREACHABLE]
      .filter((key) => !tolerates(key))
      .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.seconds }));
    if (added.length > 0) spec.tolerations = [...tolerations, ...added];
  }
}
