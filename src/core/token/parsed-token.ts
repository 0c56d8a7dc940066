import type { RuleProgress } from './acceptance-rules';
import { readJwsKeyReference, splitCompactJws } from './compact-jws';
import { InvalidTokenException } from '../errors';
import { decodeJsonBytes, hasDuplicateMembers, hasDuplicates, ownMember } from '../json-object';
import type { RsaAlgorithm, TokenVersion } from '../settings/settings';

/** A structurally valid, not yet verified token. */
export interface ParsedToken {
  readonly alg: RsaAlgorithm;
  readonly kid: string;
  /** Undefined when `ver` is neither "1.0" nor "2.0": rule 6 refuses it after rules 3 to 5. */
  readonly version: TokenVersion | undefined;
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  /** How many top-level payload members are named `tid` in any casing (rule 7 wants exactly one). */
  readonly tidMemberCount: number;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

/**
 * Rules 1 and 2 of docs/design.md, plus the payload's structure: everything decided from the token's
 * text alone, before any key is looked up, so garbage never causes a network fetch.
 */
export function parseToken(
  token: string,
  limits: { readonly maxTokenBytes: number; readonly algorithms: readonly RsaAlgorithm[] },
  progress?: RuleProgress,
): ParsedToken {
  const jws = splitCompactJws(token, limits.maxTokenBytes);
  // The payload's structure is rule 1 too, so it is judged before the header's members (rule 2).
  const payload = decodeJsonBytes(jws.payload);
  // Repeated `tid`s (in any case) are rule 7's to refuse, as tenant_invalid.
  if (!payload || (hasDuplicateMembers(payload) && hasDuplicates(payload.memberNames.filter((name) => !isTid(name))))) {
    throw new InvalidTokenException('token_malformed');
  }
  progress?.passed('request');
  const { alg, kid } = readJwsKeyReference(jws.header.value, limits.algorithms);

  // The version picks which discovery document and key set judge the token; the signature that
  // follows covers it like every other claim.
  const ver = ownMember(payload.value, 'ver');

  return {
    alg,
    kid,
    version: ver === '1.0' || ver === '2.0' ? ver : undefined,
    header: jws.header.value,
    claims: payload.value,
    tidMemberCount: payload.memberNames.filter(isTid).length,
    signingInput: jws.signingInput,
    signature: jws.signature,
  };
}

function isTid(name: string): boolean {
  return name.length === 3 && name.toLowerCase() === 'tid';
}
