import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './args.js';

const specs = {
  port: { type: 'int' as const, description: 'port', default: 6443 },
  'data-dir': { type: 'string' as const, description: 'dir' },
  verbose: { type: 'bool' as const, description: 'v', default: false },
  'etcd-endpoints': { type: 'list' as const, description: 'e' },
};

describe('parseFlags', () => {
  it('parses typed values in both --flag value and --flag=value forms', () => {
    expect(parseFlags(['--port', '0', '--data-dir=./sb', '--verbose', '--etcd-endpoints', 'https://a:1,https://b:2'], specs)).toEqual({
      port: 0,
      'data-dir': './sb',
      verbose: true,
      'etcd-endpoints': ['https://a:1', 'https://b:2'],
    });
  });

  it('keeps defaults for absent flags', () => {
    expect(parseFlags([], specs)).toMatchObject({ port: 6443, verbose: false });
  });

  it('rejects unknown flags with a suggestion', () => {
    expect(() => parseFlags(['--prot', '1'], specs)).toThrow(new UsageError('unknown flag --prot (did you mean --port?)'));
  });

  it('rejects a non-numeric int and a missing value', () => {
    expect(() => parseFlags(['--port', 'abc'], specs)).toThrow('flag --port must be a whole number, got "abc"');
    expect(() => parseFlags(['--data-dir'], specs)).toThrow('flag --data-dir needs a value');
  });
});
