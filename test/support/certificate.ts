import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface SelfSignedCertificate {
  /** PKCS#8 private key, PEM. */
  readonly key: string;
  /** The certificate, PEM. It is its own CA: trust it with `ca` or NODE_EXTRA_CA_CERTS. */
  readonly cert: string;
}

/**
 * A throw-away self-signed RSA certificate for 127.0.0.1, made with the openssl CLI at run time so
 * that no private key is ever committed.
 */
export function createSelfSignedCertificate(commonName = '127.0.0.1'): SelfSignedCertificate {
  const directory = mkdtempSync(path.join(tmpdir(), 'entra-auth-cert-'));
  try {
    const keyPath = path.join(directory, 'key.pem');
    const certPath = path.join(directory, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export interface TestCertificate {
  /** Private key and certificate in one PEM file, as CLIENT_CERTIFICATE_PATH expects. */
  readonly combinedPath: string;
  /** The certificate only (no key): a file CLIENT_CERTIFICATE_PATH must refuse. */
  readonly certificateOnlyPath: string;
  readonly certificatePem: string;
  remove(): void;
}

/** A self-signed certificate written to files, as an app's credentials would be. */
export function createTestCertificate(): TestCertificate {
  const { key, cert } = createSelfSignedCertificate('entra-auth-middleware test');
  const directory = mkdtempSync(path.join(tmpdir(), 'entra-auth-cert-'));
  const certificateOnlyPath = path.join(directory, 'certificate.pem');
  const combinedPath = path.join(directory, 'combined.pem');
  writeFileSync(certificateOnlyPath, cert);
  writeFileSync(combinedPath, key + cert, { mode: 0o600 });
  return {
    combinedPath,
    certificateOnlyPath,
    certificatePem: cert,
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
