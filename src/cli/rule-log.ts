import { ACCEPTANCE_RULES, type AcceptanceRule, type RuleTrace } from '../core/token/acceptance-rules';
import type { EntraAuthError, ReasonCode } from '../core/errors';

/** One rule as the validator decided it. */
export interface RuleOutcome {
  /** The rule's number in docs/design.md; none for the claim shapes after rule 10. */
  readonly number: number | undefined;
  readonly rule: AcceptanceRule;
  readonly title: string;
  readonly outcome: 'passed' | 'failed';
  readonly reason?: ReasonCode;
}

/** The validator's own account of one verification, rule by rule, up to the first that fails. */
export class RuleLog implements RuleTrace {
  readonly outcomes: RuleOutcome[] = [];
  failedRule: AcceptanceRule | undefined;

  passed(rule: AcceptanceRule): void {
    this.outcomes.push({ ...describe(rule), outcome: 'passed' });
  }

  failed(rule: AcceptanceRule, refusal: EntraAuthError): void {
    this.failedRule = rule;
    this.outcomes.push({ ...describe(rule), outcome: 'failed', reason: refusal.reason });
  }
}

function describe(rule: AcceptanceRule): Pick<RuleOutcome, 'number' | 'rule' | 'title'> {
  const entry = ACCEPTANCE_RULES.find((candidate) => candidate.name === rule)!;
  return { number: entry.number, rule, title: entry.title };
}
