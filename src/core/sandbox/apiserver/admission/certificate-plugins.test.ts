import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { x509 } from '../auth/x509.js';
import type { RbacAuthorizer } from '../auth/rbac.js';
import { CertificateApprovalPlugin, CertificateSigningPlugin, type SignerAuthorizer } from './certificate-approval.js';
import { CertificateSubjectRestrictionPlugin, csrOrganizations } from './certificate-subject-restriction.js';
import { attrs, rejection } from './test-fixtures.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

async function csr(subject: string, signerName: string): Promise<KubeObject> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const request = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: ALG });
  return {
    metadata: { name: 'jane' },
    spec: { request: Buffer.from(request.toString('pem')).toString('base64'), signerName, usages: ['client auth'] },
  };
}

describe('CertificateSubjectRestriction', () => {
  const plugin = new CertificateSubjectRestrictionPlugin();

  it('reads the groups from a PEM CSR', async () => {
    const obj = await csr('CN=jane, O=dev, O=ops', 'kubernetes.io/kube-apiserver-client');
    expect(csrOrganizations((obj.spec as { request: string }).request)).toEqual(['dev', 'ops']);
  });

  it('refuses kube-apiserver-client CSRs for system:masters, allows others', async () => {
    const masters = await csr('CN=jane, O=system:masters', 'kubernetes.io/kube-apiserver-client');
    const err = await rejection(plugin.validate(attrs('CREATE', 'certificatesigningrequests', { object: masters })));
    expect(err.status).toMatchObject({
      code: 403,
      message: 'certificatesigningrequests.certificates.k8s.io "jane" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
      details: { name: 'jane', group: 'certificates.k8s.io', kind: 'certificatesigningrequests' },
    });
    await plugin.validate(attrs('CREATE', 'certificatesigningrequests', { object: await csr('CN=jane, O=dev', 'kubernetes.io/kube-apiserver-client') }));
    await plugin.validate(attrs('CREATE', 'certificatesigningrequests', { object: await csr('CN=x, O=system:masters', 'example.com/custom') }));
  });

  it('refuses an unparsable request for that signer', async () => {
    const bad: KubeObject = { metadata: { name: 'jane' }, spec: { request: Buffer.from('not a csr').toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client' } };
    const err = await rejection(plugin.validate(attrs('CREATE', 'certificatesigningrequests', { object: bad })));
    expect(err.status.message).toMatch(/^certificatesigningrequests\.certificates\.k8s\.io "jane" is forbidden: failed to parse CSR: /);
  });
});

// The control plane's RBAC authorizer is what gets passed as options.authorizer: it must fit.
export const rbacFits = (authorizer: RbacAuthorizer): SignerAuthorizer => authorizer;

describe('CertificateApproval and CertificateSigning', () => {
  const csrObj = (extra: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name: 'jane', resourceVersion: '3' },
    spec: { signerName: 'example.com/team', request: 'x' },
    ...extra,
  });
  // An authorizer that allows exactly the listed "verb name" pairs, recording what was asked.
  const authz = (allowed: string[], asked: string[] = []) => ({
    async authorize(a: { verb: string; name: string; group: string; resource: string }) {
      asked.push(`${a.verb} ${a.group}/${a.resource} ${a.name}`);
      return { allowed: allowed.includes(`${a.verb} ${a.name}`) };
    },
  });

  it('needs approve on the signer or its domain wildcard', async () => {
    const asked: string[] = [];
    const deny = new CertificateApprovalPlugin(authz([], asked));
    const a = attrs('UPDATE', 'certificatesigningrequests', { object: csrObj(), oldObject: csrObj(), subresource: 'approval' });
    const err = await rejection(deny.validate(a));
    expect(err.status.message).toBe('certificatesigningrequests.certificates.k8s.io "jane" is forbidden: user not permitted to approve requests with signerName "example.com/team"');
    expect(asked).toEqual(['approve certificates.k8s.io/signers example.com/team', 'approve certificates.k8s.io/signers example.com/*']);
    await new CertificateApprovalPlugin(authz(['approve example.com/*'])).validate(a);
  });

  it('needs sign only when the certificate or conditions change', async () => {
    const plugin = new CertificateSigningPlugin(authz([]));
    const old = csrObj({ status: { conditions: [{ type: 'Approved', status: 'True' }] } });
    await plugin.validate(attrs('UPDATE', 'certificatesigningrequests', { object: old, oldObject: old, subresource: 'status' }));
    const signed = csrObj({ status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'Y2VydA==' } });
    const err = await rejection(plugin.validate(attrs('UPDATE', 'certificatesigningrequests', { object: signed, oldObject: old, subresource: 'status' })));
    expect(err.status.message).toBe('certificatesigningrequests.certificates.k8s.io "jane" is forbidden: user not permitted to sign requests with signerName "example.com/team"');
    await new CertificateSigningPlugin(authz(['sign example.com/team'])).validate(attrs('UPDATE', 'certificatesigningrequests', { object: signed, oldObject: old, subresource: 'status' }));
  });
});
