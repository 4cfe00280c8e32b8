// A decoded registry value as the text the value panel shows, in JSON or YAML.
import { stringify } from 'yaml';
import type { DecodedValue } from '../../shared/rpc/registry-contract.js';

export type ValueFormat = 'json' | 'yaml';

export function valueBody(value: DecodedValue): unknown {
  switch (value.format) {
    case 'json':
    case 'protobuf':
      return value.object;
    case 'protobuf-fields':
      return value.fields;
    case 'encrypted':
      return undefined;
    case 'text':
      return value.text;
    case 'binary':
      return value.base64;
  }
}

export function renderValue(value: DecodedValue, format: ValueFormat): string {
  if (value.format === 'encrypted') return '';
  if (value.format === 'text' || value.format === 'binary') return String(valueBody(value));
  const body = valueBody(value);
  return format === 'json' ? JSON.stringify(body, null, 2) : stringify(body).trimEnd();
}
