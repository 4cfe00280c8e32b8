import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { x509 } from '../auth/x509.js';
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
