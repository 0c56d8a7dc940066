/**
 * The longest lifetime of an Entra access token: 28 hours, for the long-lived tokens Entra issues
 * to clients that declare the CAE capability (others live 60–90 minutes; a token lifetime policy
 * allows at most 24 hours).
 */
export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 28 * 3600;

/**
 * When a revocation may be forgotten (epoch milliseconds): a token issued before `notBefore`
 * expires by `notBefore + 28 h`, and rule 5 accepts it up to `LEEWAY` later. Past that no token
 * the revocation refuses can still pass the other rules.
 */
export function retentionEnd(notBefore: number, leewaySeconds: number): number {
  return (notBefore + MAX_ACCESS_TOKEN_LIFETIME_SECONDS + leewaySeconds) * 1000;
}
