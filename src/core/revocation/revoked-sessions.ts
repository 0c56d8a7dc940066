import { ownClaim, type EntraIdClaims } from '../token/claims';
import { userSubject, type Revocation } from './revocation';

/** Entries past their time are dropped when one is added, at most this often. */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

interface Held {
  readonly notBefore: number;
  /** Epoch milliseconds after which no token this entry refuses can be valid. */
  readonly expiresAt: number;
}

/**
 * The revocations in force in this process, by user (`tid/oid`) and by token (`uti`): what the
 * per-request check reads. A lookup is one map read per kind, skipped while that kind is empty.
 * Of two revocations of one user the later `notBefore` wins. An entry past its time refuses only
 * tokens rule 5 refuses anyway, so forgetting it is housekeeping, done as entries arrive.
 */
export class RevokedSessions {
  private readonly users = new Map<string, Held>();
  private readonly tokens = new Map<string, Held>();
  /**
   * The lookup key of each verified token's user, kept for the life of its frozen claims: a
   * cached token's claims are the same object on every request, and a key built anew (two
   * claims, a concatenation, a lowercase copy, its hash) would cost more than the lookup itself.
   */
  private readonly subjects = new WeakMap<EntraIdClaims, string>();
  private nextPruneAt = 0;

  /** Records a revocation until `expiresAt`; `now` is when (for housekeeping). */
  add(revocation: Revocation, expiresAt: number, now: number): void {
    if (now >= this.nextPruneAt) {
      this.prune(now);
      this.nextPruneAt = now + PRUNE_INTERVAL_MS;
    }
    const entries = revocation.kind === 'user' ? this.users : this.tokens;
    const held = entries.get(revocation.subject);
    if (held && held.notBefore >= revocation.notBefore) return;
    entries.set(revocation.subject, { notBefore: revocation.notBefore, expiresAt });
  }

  /**
   * The `notBefore` of the revocation that refuses a verified token, or `undefined`. A user's
   * revocation refuses a token whose `iat` or `nbf` is before it (a token with neither cannot
   * show it was issued after); a token's revocation refuses that token.
   */
  refusing(claims: EntraIdClaims): number | undefined {
    if (this.users.size > 0) {
      const held = this.users.get(this.subjectOf(claims));
      if (held && issuedBefore(claims, held.notBefore)) return held.notBefore;
    }
    if (this.tokens.size > 0) {
      const uti = ownClaim(claims, 'uti');
      const held = typeof uti === 'string' ? this.tokens.get(uti) : undefined;
      if (held) return held.notBefore;
    }
    return undefined;
  }

  private subjectOf(claims: EntraIdClaims): string {
    let subject = this.subjects.get(claims);
    if (subject === undefined) {
      // Verified tokens carry both as GUIDs (rule 7, claim shapes).
      subject = userSubject(String(ownClaim(claims, 'tid')), String(ownClaim(claims, 'oid')));
      this.subjects.set(claims, subject);
    }
    return subject;
  }

  private prune(now: number): void {
    for (const entries of [this.users, this.tokens]) {
      for (const [subject, held] of entries) if (held.expiresAt <= now) entries.delete(subject);
    }
  }

  get size(): number {
    return this.users.size + this.tokens.size;
  }
}

function issuedBefore(claims: EntraIdClaims, notBefore: number): boolean {
  const iat = ownClaim(claims, 'iat');
  const nbf = ownClaim(claims, 'nbf');
  if (iat === undefined && nbf === undefined) return true;
  return (typeof iat === 'number' && iat < notBefore) || (typeof nbf === 'number' && nbf < notBefore);
}
