// scripts/gen-go-types.mjs against the real kubectl 1.32 binary: the committed table is what it reads.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GO_TYPES } from './go-types-generated.js';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const kubectl = join(root, '.tools', 'bin', 'kubectl');
const out = mkdtempSync(join(tmpdir(), 'gen-go-types-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('Go type table', () => {
  it.skipIf(!existsSync(kubectl))('is what scripts/gen-go-types.mjs reads from kubectl (rerun it after a kubectl upgrade)', () => {
    const file = join(out, 'go-types-generated.ts');
    execFileSync(process.execPath, [join(root, 'scripts', 'gen-go-types.mjs'), kubectl, file], { encoding: 'utf8' });
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(fileURLToPath(new URL('./go-types-generated.ts', import.meta.url)), 'utf8'));
  });

  it('has Go declaration order and Go names, which the JSON names do not give', () => {
    const names = (type: string) => GO_TYPES[type].fields?.map((f) => f.name);
    expect(names('v1.Container')?.slice(0, 8)).toEqual(['Name', 'Image', 'Command', 'Args', 'WorkingDir', 'Ports', 'EnvFrom', 'Env']);
    expect(names('v1.Container')?.slice(-3)).toEqual(['Stdin', 'StdinOnce', 'TTY']);
    expect(names('v1.PodSpec')).toEqual(expect.arrayContaining(['DNSPolicy', 'HostPID', 'DeprecatedServiceAccount', 'OS']));
    expect(names('v1.ProbeHandler')).toEqual(['Exec', 'HTTPGet', 'TCPSocket', 'GRPC']);
    expect(GO_TYPES['v1.Probe'].fields?.[0]).toMatchObject({ name: 'ProbeHandler', embedded: true, inline: true });
    expect(GO_TYPES['v1.ContainerPort'].fields?.find((f) => f.name === 'Protocol')).toMatchObject({ type: 'v1.Protocol', json: 'protocol', omitempty: true });
    expect(GO_TYPES['v1.ResourceList']).toEqual({ kind: 'map', key: 'v1.ResourceName', elem: 'resource.Quantity' });
  });
});
