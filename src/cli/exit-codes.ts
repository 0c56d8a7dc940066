/** What `entra-auth` exits with (docs/design.md#cli). */
export const EXIT_CODES = Object.freeze({
  /** explain: the token is accepted (and the route lets it through); doctor: everything is usable. */
  ok: 0,
  /** explain: a rule (or the route's `@Authorized`) refuses the token; doctor: a check failed. */
  refused: 1,
  /** The settings, the arguments or the app module are wrong, or the authority does not know the tenant. */
  configuration: 2,
  /** The authority's discovery document or keys cannot be had. */
  keysUnavailable: 3,
});

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
