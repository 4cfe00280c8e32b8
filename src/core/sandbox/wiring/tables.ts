// Binds the Tables port to the server-side printers.
import type { Tables } from '../apiserver/services.js';
import { defaultPrinter, toTable } from '../registry/printers/index.js';
import type { Clock } from '../../clock/clock.js';

export function tablesWith(clock: Clock): Tables {
  return {
    toTable(def, objects, options) {
      return toTable(def.printer ?? defaultPrinter, objects, { ...options, now: clock.now() }) as unknown as Record<string, unknown>;
    },
  };
}
