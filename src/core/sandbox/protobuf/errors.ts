export type KubernetesProtobufErrorReason = 'NotProtobuf' | 'UnknownKind' | 'Malformed' | 'Unsupported';

/** A body that cannot be read or written as Kubernetes protobuf; `reason` lets the HTTP layer pick 400 or 415. */
export class KubernetesProtobufError extends Error {
  constructor(
    readonly reason: KubernetesProtobufErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KubernetesProtobufError';
  }
}
