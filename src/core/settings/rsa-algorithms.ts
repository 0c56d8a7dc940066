/** The `alg` values a deployment may accept: the RSA family Entra ID signs with, never HMAC or `none`. */
export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export type RsaAlgorithm = (typeof RSA_ALGORITHMS)[number];

export function isRsaAlgorithm(value: string): value is RsaAlgorithm {
  return (RSA_ALGORITHMS as readonly string[]).includes(value);
}
