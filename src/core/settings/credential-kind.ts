import { ClientCredential } from '../graph/client-credential';
import type { CompoundKind } from './setting-kind';

export interface CredentialInputs {
  clientSecret?: string;
  /** A PEM file holding the private key and the certificate. */
  clientCertificatePath?: string;
}

/**
 * The API's own credential for Graph lookups. Its variables, in order: the client secret, the
 * certificate file. Problems name the variable, never the value.
 */
export function clientCredential(): CompoundKind<ClientCredential, CredentialInputs> {
  return {
    accepted: 'one of them: a non-empty secret, or a PEM file with an unencrypted RSA private key and its certificate',
    // Checked while read: the certificate file is parsed then, and a secret has no shape.
    decorators: () => [],
    show: (credential) => `client ${credential.kind} (never shown)`,
    inputs: ['clientSecret', 'clientCertificatePath'],
    read(input, { variables, env, report }) {
      const [secretVariable, certificateVariable] = variables as [string, string];
      const secret = input.clientSecret ?? env(secretVariable);
      const certificatePath = input.clientCertificatePath ?? env(certificateVariable);
      if (secret !== undefined && certificatePath !== undefined) {
        report(`${secretVariable} and ${certificateVariable}: both are set; set one`);
        return undefined;
      }
      if (secret !== undefined && secret.trim() === '') {
        report(`${secretVariable}: expected a non-empty client secret`);
        return undefined;
      }
      if (secret !== undefined) return ClientCredential.fromSecret(secret);
      if (certificatePath === undefined) return undefined;
      try {
        return ClientCredential.fromCertificateFile(certificatePath);
      } catch (error) {
        report(
          `${certificateVariable}: ${(error as Error).message}; expected a PEM file with the RSA private key and its certificate`,
        );
        return undefined;
      }
    },
  };
}
