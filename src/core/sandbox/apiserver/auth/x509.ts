// The single entry point to @peculiar/x509: installs the Reflect shim it needs and Node's WebCrypto.
import './reflect-shim.js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
