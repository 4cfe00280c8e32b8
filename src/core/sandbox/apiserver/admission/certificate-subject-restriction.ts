// CertificateSubjectRestriction (plugin/pkg/admission/certificates/subjectrestriction): nobody, not
// even an admin, may ask the kube-apiserver-client signer for a certificate in the system:masters
// group, which would be an unrevocable cluster-admin credential.
import { x509 } from '../auth/x509.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbidden, isResource, peek, str } from './util.js';

const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

/** Organizations (groups) in a CSR's subject; throws when spec.request is not a PEM CSR. */
export function csrOrganizations(requestBase64: string): string[] {
  const pem = Buffer.from(requestBase64, 'base64').toString('utf8');
  return new x509.Pkcs10CertificateRequest(pem).subjectName.getField('O');
}

export class CertificateSubjectRestrictionPlugin implements AdmissionPlugin {
  readonly name = 'CertificateSubjectRestriction';

  async validate(attributes: AdmissionAttributes): Promise<void> {
    if (attributes.operation !== 'CREATE' || attributes.subresource !== '' || !attributes.object) return;
    if (!isResource(attributes, 'certificates.k8s.io', 'certificatesigningrequests')) return;
    const spec = peek(attributes.object, 'spec');
    if (str(spec, 'signerName') !== CLIENT_SIGNER) return;
    let groups: string[];
    try {
      groups = csrOrganizations(str(spec, 'request') ?? '');
    } catch (error) {
      throw forbidden(attributes, `failed to parse CSR: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (groups.includes('system:masters')) throw forbidden(attributes, `use of ${CLIENT_SIGNER} signer with system:masters group is not allowed`);
  }
}
