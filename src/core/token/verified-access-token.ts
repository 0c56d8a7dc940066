import type { TokenVersion } from '../settings/settings';
import type { EntraIdClaims } from './claims';

/** A token that passed every acceptance rule. */
export interface VerifiedAccessToken {
  readonly claims: EntraIdClaims;
  readonly header: Readonly<Record<string, unknown>>;
  readonly version: TokenVersion;
  readonly kid: string;
}
