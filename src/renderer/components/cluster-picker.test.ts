import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../shared/rpc/contract.js';
import { i18n } from '../i18n.js';
import { clusterReason } from './cluster-picker.js';

afterEach(() => i18n.setLocale('en'));

const info = (extra: Partial<ClusterInfo>): ClusterInfo => ({ id: 'kubeconfig:prod', name: 'prod', source: 'kubeconfig', server: 'https://10.0.0.1', state: 'unreachable', ...extra });

describe('why a cluster is not connected', () => {
  it('says the usual failures in French, and anything else as the core said it', () => {
    i18n.setLocale('fr');
    expect(clusterReason(info({ reason: 'cannot reach https://127.0.0.1:1: bad port' }))).toEqual({ text: 'impossible de joindre https://127.0.0.1:1 : bad port', hint: false });
    expect(clusterReason(info({ state: 'auth-failed', reason: 'the server refused the credentials (401 Unauthorized)' }))?.text).toBe('le serveur a refusé les identifiants (401 Unauthorized)');
    expect(clusterReason(info({ state: 'auth-failed', reason: 'the credential plugin "aws" is not installed' }))?.text).toBe('the credential plugin "aws" is not installed');
    expect(clusterReason(info({ state: 'connected', reason: 'stale' }))).toBeUndefined();
  });

  it('asks to select a stopped sandbox, neutrally, and says what it is doing', () => {
    const sandbox = info({ id: 'sandbox', name: 'Sandbox', source: 'sandbox', state: 'stopped', reason: 'the sandbox is stopped: select it (or press Start on the Sandbox page) to start it' });
    expect(clusterReason(sandbox)).toEqual({ text: 'Select it to start it.', hint: true });
    expect(clusterReason({ ...sandbox, state: 'connecting', reason: 'the sandbox is starting' })).toEqual({ text: 'Starting…', hint: true });
    expect(clusterReason({ ...sandbox, state: 'unreachable', reason: 'the sandbox process stopped unexpectedly (exit code 1)' })).toEqual({ text: 'the sandbox process stopped unexpectedly (exit code 1)', hint: false });
  });
});
