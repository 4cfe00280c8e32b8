// CertificateApproval and CertificateSigning (plugin/pkg/admission/certificates/{approval,signing}):
// approving a CSR, or writing its certificate, needs the "approve" / "sign" verb on the
// certificates.k8s.io "signers" resource named after the CSR's signer (or "<domain>/*"). They need
// an authorizer, which admission plugins otherwise do not have, so it is passed in.
import type { UserInfo } from '../../registry/types.js';
import { deepEqual } from '../../registry/store/object-util.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbidden, isResource, peek, str } from './util.js';

/** The slice of the RBAC authorizer these plugins use (RbacAuthorizer fits it). */
export interface SignerAuthorizer {
  authorize(attributes: {
    user: UserInfo;
    namespace: string;
    verb: string;
    group: string;
    resource: string;
    subresource: string;
    name: string;
  }): Promise<{ allowed: boolean }>;
}

/** certificates.IsAuthorizedForSignerName: the exact signer, then its domain wildcard. */
export async function isAuthorizedForSigner(authz: SignerAuthorizer, user: UserInfo, verb: string, signerName: string): Promise<boolean> {
  const ask = async (name: string) =>
    (await authz.authorize({ user, namespace: '', verb, group: 'certificates.k8s.io', resource: 'signers', subresource: '', name })).allowed;
  try {
    if (await ask(signerName)) return true;
    return await ask(`${signerName.split('/')[0]}/*`);
  } catch {
    // An authorizer failure denies, as upstream logs and falls through.
    return false;
  }
}

function isCsr(attributes: AdmissionAttributes): boolean {
  return attributes.operation === 'UPDATE' && isResource(attributes, 'certificates.k8s.io', 'certificatesigningrequests') && !!attributes.object;
}

export class CertificateApprovalPlugin implements AdmissionPlugin {
  readonly name = 'CertificateApproval';

  constructor(private readonly authz: SignerAuthorizer) {}

  async validate(attributes: AdmissionAttributes): Promise<void> {
    if (!isCsr(attributes) || attributes.subresource !== 'approval') return;
    const signer = str(peek(attributes.object, 'spec'), 'signerName') ?? '';
    if (!(await isAuthorizedForSigner(this.authz, attributes.user, 'approve', signer))) {
      throw forbidden(attributes, `user not permitted to approve requests with signerName ${JSON.stringify(signer)}`);
    }
  }
}

export class CertificateSigningPlugin implements AdmissionPlugin {
  readonly name = 'CertificateSigning';

  constructor(private readonly authz: SignerAuthorizer) {}

  async validate(attributes: AdmissionAttributes): Promise<void> {
    if (!isCsr(attributes) || attributes.subresource !== 'status' || !attributes.oldObject) return;
    const status = peek(attributes.object, 'status');
    const oldStatus = peek(attributes.oldObject, 'status');
    // Only writing the certificate (or the signer's conditions) counts as signing.
    if (deepEqual(status?.certificate, oldStatus?.certificate) && deepEqual(status?.conditions, oldStatus?.conditions)) return;
    const signer = str(peek(attributes.oldObject, 'spec'), 'signerName') ?? '';
    if (!(await isAuthorizedForSigner(this.authz, attributes.user, 'sign', signer))) {
      throw forbidden(attributes, `user not permitted to sign requests with signerName ${JSON.stringify(signer)}`);
    }
  }
}
