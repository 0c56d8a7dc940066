import type { EntraAuthError } from '../errors';

/**
 * The acceptance rules of docs/design.md in the order {@link EntraIdProvider} checks them, for
 * tools that report a verification step by step (`entra-auth explain`). `number` is the rule's
 * number in the contract; the claim shapes come after rule 10 and have none.
 */
export const ACCEPTANCE_RULES = [
  { name: 'request', number: 1, title: 'request and encoding' },
  { name: 'header', number: 2, title: 'header' },
  { name: 'signing_key', number: 3, title: 'signing key' },
  { name: 'signature', number: 4, title: 'signature' },
  { name: 'time', number: 5, title: 'time' },
  { name: 'version', number: 6, title: 'version' },
  { name: 'issuer', number: 7, title: 'tenant, issuer, key issuer' },
  { name: 'audience', number: 8, title: 'audience' },
  { name: 'token_kind', number: 9, title: 'token kind' },
  { name: 'client_app', number: 10, title: 'client application' },
  { name: 'claim_shapes', number: undefined, title: 'claim shapes' },
] as const;

export type AcceptanceRule = (typeof ACCEPTANCE_RULES)[number]['name'];

/**
 * Told the outcome of each rule of one verification, in order: `passed` for each rule that held,
 * then `failed` once for the rule that refused the token (none when it is accepted).
 */
export interface RuleTrace {
  passed(rule: AcceptanceRule): void;
  failed(rule: AcceptanceRule, refusal: EntraAuthError): void;
}

/** Where a traced verification has got to: the rule after the last that passed is the one a refusal belongs to. */
export class RuleProgress {
  private reached = 0;

  constructor(private readonly trace: RuleTrace) {}

  passed(rule: AcceptanceRule): void {
    this.reached = ACCEPTANCE_RULES.findIndex((entry) => entry.name === rule) + 1;
    observe(() => this.trace.passed(rule));
  }

  failed(refusal: EntraAuthError): void {
    observe(() =>
      this.trace.failed(ACCEPTANCE_RULES[Math.min(this.reached, ACCEPTANCE_RULES.length - 1)]!.name, refusal),
    );
  }
}

/** The trace only watches: a trace that throws changes no outcome, and its error never escapes as one. */
function observe(report: () => void): void {
  try {
    report();
  } catch {
    // Nothing to do: the verification goes on as it would without the trace.
  }
}
