// Start-up failures a person can act on: each names what failed and what to do.

export class SandboxStartError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SandboxStartError';
  }
}
