// The real kubectl 1.32 parses label selectors client-side for `create pdb --selector` with the
// same apimachinery code kube-apiserver runs: its verdicts and messages are the oracle here.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './label-selector.js';

const KUBECTL = fileURLToPath(new URL('../../../../../.tools/bin/kubectl', import.meta.url));
const run = promisify(execFile);

/** kubectl's verdict: undefined when it accepts the selector, else the parser's message. */
async function kubectlVerdict(selector: string): Promise<string | undefined> {
  const args = ['--server', 'http://127.0.0.1:1', 'create', 'pdb', 'x', `--selector=${selector}`, '--min-available=1', '--dry-run=client', '-o', 'name'];
  try {
    await run(KUBECTL, args, { env: { ...process.env, KUBECONFIG: '/dev/null' } });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    const line = stderr.split('\n').find((l) => l.startsWith('error: '));
    // The parser accepted it; only the conversion to metav1.LabelSelector refused the operator.
    if (line && /is not a valid label selector operator|isn't supported in label selectors/.test(line)) return undefined;
    const prefix = `error: couldn't parse the selector string "${selector}": `;
    if (!line?.startsWith(prefix)) throw new Error(`unexpected kubectl output for ${selector}: ${stderr}`);
    return line.slice(prefix.length);
  }
}

function ourVerdict(selector: string): string | undefined {
  try {
    parseLabelSelector(selector);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const SELECTORS = [
  'a=b',
  'a==b,c!=d',
  'e in (x,y),f notin (z)',
  'g,!h',
  'x in ()',
  'x in (,a,,)',
  'a in (in, notin)',
  'app.kubernetes.io/name=web',
  'a in b',
  'a=b,',
  ',a=b',
  '-a=b',
  'a=b$',
  'a b',
  'a in (b',
  'a in (',
  '=a',
  'a=b c',
  'Foo.COM/a=b',
  '/a=b',
  'a/b/c=d',
  '!a=b',
  'a in (b c)',
  'a notin (b,)',
  'a=(b)',
  `a=${'v'.repeat(64)}`,
  `${'k'.repeat(64)}=v`,
  'a>1',
  'a<x',
  '!!a',
  'a!',
  'a=!b',
];

describe.skipIf(!existsSync(KUBECTL))('label selector parser vs kubectl 1.32', () => {
  it('accepts and rejects the same selectors with the same messages', async () => {
    const verdicts = await Promise.all(SELECTORS.map(async (s) => [s, await kubectlVerdict(s)] as const));
    for (const [selector, expected] of verdicts) expect(ourVerdict(selector), selector).toBe(expected);
  });
});
