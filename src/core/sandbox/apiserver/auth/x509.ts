// The single entry point to @peculiar/x509: installs the Reflect shim it needs and Node's WebCrypto.
import './reflect-shim.js';
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
// Imported dynamically: in the app's bundle a static import of this external package is hoisted
// above the shim's inlined code, and tsyringe then refuses to load (the bundled sandbox never started).
const x509: typeof X509 = await import('@peculiar/x509');

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
/** The package's types, for type positions (x509 above is a value). */
export type { X509 };
