import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createSelfSignedCertificate } from '../../support/certificate';

/** The attacker's own credentials, which tokens offer through x5c / x5u; made at run time, never committed. */
const ATTACKER = createSelfSignedCertificate('attacker.example');

/**
 * The attacker's server on loopback, serving their key set and certificate to whoever follows a
 * token's `jku` / `x5u`. It counts every request: the validator must never make one.
 */
export class AttackerHost {
  readonly privateKey: KeyObject = createPrivateKey(ATTACKER.key);
  readonly publicJwk = {
    ...(createPublicKey(this.privateKey).export({ format: 'jwk' }) as Record<string, unknown>),
    kid: 'attacker',
    use: 'sig',
  };
  readonly certificateDer = new X509Certificate(ATTACKER.cert).raw;
  requests = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<AttackerHost> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = new AttackerHost(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      host.requests++;
      const body = request.url?.endsWith('.pem') ? ATTACKER.cert : JSON.stringify({ keys: [host.publicJwk] });
      response.end(body);
    });
    return host;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
