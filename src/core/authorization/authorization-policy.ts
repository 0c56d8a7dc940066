import type { ClaimsChallengeAuthority } from '../errors';

/**
 * What authorization takes from the app's settings. `EntraIdProvider` gives it to every user it
 * creates, so that `authorize` (called by checkers and guards that hold no settings) judges each
 * user under the settings of the app that verified it.
 */
export interface AuthorizationPolicy {
  /** Guests pass lists and guards that do not name `guest:` (`ALLOW_GUESTS`, docs/design.md#d67). */
  readonly allowGuests: boolean;
  /** An External ID tenant: its customers sign in through other identity providers, so only `acct` marks a guest. */
  readonly externalId: boolean;
  /** Where a claims challenge (step-up to an authentication context) sends the client. */
  readonly claimsChallengeAuthority: ClaimsChallengeAuthority;
}
