import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TestCertificate {
  /** Private key and certificate in one PEM file, as CLIENT_CERTIFICATE_PATH expects. */
  readonly combinedPath: string;
  /** The certificate only (no key): a file CLIENT_CERTIFICATE_PATH must refuse. */
  readonly certificateOnlyPath: string;
  readonly certificatePem: string;
  remove(): void;
}

/** A throw-away self-signed RSA certificate made with the openssl CLI at test time: no key is ever committed. */
export function createTestCertificate(): TestCertificate {
  const directory = mkdtempSync(path.join(tmpdir(), 'entra-auth-cert-'));
  const keyPath = path.join(directory, 'key.pem');
  const certificateOnlyPath = path.join(directory, 'certificate.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certificateOnlyPath, '-days', '2', '-subj', '/CN=entra-auth-middleware test'],
    { stdio: 'ignore' },
  );
  const certificatePem = readFileSync(certificateOnlyPath, 'utf8');
  const combinedPath = path.join(directory, 'combined.pem');
  writeFileSync(combinedPath, readFileSync(keyPath, 'utf8') + certificatePem, { mode: 0o600 });
  return {
    combinedPath,
    certificateOnlyPath,
    certificatePem,
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
