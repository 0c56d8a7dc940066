import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

/**
 * The API's own credential for Microsoft Graph lookups (`CLIENT_SECRET` or
 * `CLIENT_CERTIFICATE_PATH`). The secret and the private key live in private fields and the object
 * prints as `[ClientCredential: secret]` or `[... certificate]`, so logging the settings never
 * leaks them.
 */
export class ClientCredential {
  readonly #secret: string | undefined;
  readonly #privateKey: KeyObject | undefined;
  /** base64url SHA-256 of the DER certificate: the client assertion's `x5t#S256` header. */
  readonly certificateThumbprint: string | undefined;

  private constructor(secret: string | undefined, privateKey?: KeyObject, thumbprint?: string) {
    this.#secret = secret;
    this.#privateKey = privateKey;
    this.certificateThumbprint = thumbprint;
  }

  static fromSecret(secret: string): ClientCredential {
    return new ClientCredential(secret);
  }

  /**
   * Reads a PEM file holding an RSA private key and its certificate. Throws an Error with a fixed
   * message (never the file's content) when the file cannot be read or lacks either part.
   */
  static fromCertificateFile(path: string): ClientCredential {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch {
      throw new Error('the file cannot be read');
    }
    const keyBlock = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/.exec(pem)?.[0];
    const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!keyBlock) throw new Error('the file holds no unencrypted PEM private key');
    if (!certificateBlock) throw new Error('the file holds no PEM certificate');
    let privateKey: KeyObject;
    let certificate: X509Certificate;
    try {
      privateKey = createPrivateKey(keyBlock);
      certificate = new X509Certificate(certificateBlock);
    } catch {
      throw new Error('the private key or the certificate in the file cannot be parsed');
    }
    if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the private key is not an RSA key');
    if (!certificate.checkPrivateKey(privateKey)) throw new Error('the private key does not belong to the certificate');
    const thumbprint = createHash('sha256').update(certificate.raw).digest('base64url');
    return new ClientCredential(undefined, privateKey, thumbprint);
  }

  get kind(): 'secret' | 'certificate' {
    return this.#secret !== undefined ? 'secret' : 'certificate';
  }

  /** Reveals the secret to the one place that sends it: the token request. */
  revealSecret(): string | undefined {
    return this.#secret;
  }

  /** The key that signs client assertions; only for certificate credentials. */
  signingKey(): KeyObject | undefined {
    return this.#privateKey;
  }

  toJSON(): string {
    return `[ClientCredential: ${this.kind}]`;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
