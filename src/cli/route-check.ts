import { authorize, type Requirement } from '../core/authorization/authorization';
import type { EntraIdUser } from '../core/authorization/entra-id-user';
import { AuthorizationException, ClaimsChallengeException, EntraAuthError, type ReasonCode } from '../core/errors';
import type { Settings } from '../core/settings/settings';
import type { RequirementSet } from '../routing-controllers/route-requirements';
import { matchRoute, nameOf, routeNames, startupProblems } from './app-routes';
import { UsageError } from './usage-error';

/** Refusals of a condition or of a guest: the entry is not held, for a known reason. */
const CONDITION_REFUSALS: readonly ReasonCode[] = ['guest_not_allowed', 'app_only_required', 'delegated_required'];

/** Whether one entry of the route's lists is held by the user. */
export interface EntryVerdict {
  readonly entry: string;
  /** `unknown` when the groups or permissions provider could not answer (groups overage). */
  readonly held: boolean | 'unknown';
  readonly reason?: ReasonCode;
}

/** What the route would answer this token, and why. */
export interface RouteVerdict {
  /** The request asked about: `GET /reports/42`. */
  readonly route: string;
  /** The route that answers it, as the app declares it: `GET /reports/:id(\\d+)`. */
  readonly matched?: string;
  readonly handler?: string;
  /** `open`: no @Authorized and no guard; `invalid`: the app would not start. */
  readonly verdict: 'allowed' | 'refused' | 'open' | 'not_found' | 'invalid';
  readonly status?: 200 | 401 | 403 | 503;
  readonly reason?: ReasonCode;
  readonly entries: readonly EntryVerdict[];
  readonly details: readonly string[];
}

/**
 * Judges `"METHOD /path"` of the loaded controllers for the user a token gives (undefined when
 * the token is refused), with the library's own startup check, route reading and `authorize()`:
 * guards first, as routing-controllers runs `@UseBefore` middleware before the authorization
 * checker, then the `@Authorized` list.
 */
export async function checkRoute(
  requested: string,
  user: EntraIdUser | undefined,
  refusal: EntraAuthError | undefined,
  settings: Settings,
): Promise<RouteVerdict> {
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(requested);
  if (!match) throw UsageError.routeMalformed();
  const [, method, path] = match as unknown as [string, string, string];
  const found = await matchRoute(method, path);
  if (!found) {
    const known = routeNames();
    return {
      route: requested,
      verdict: 'not_found',
      entries: [],
      details: [
        `No loaded controller answers it. Routes: ${known.join(', ') || 'none (did --app load the controllers?)'}.`,
      ],
    };
  }
  const { route, shadowed } = found;
  const base = { route: `${method.toUpperCase()} ${path}`, matched: nameOf(route), handler: route.operationId };
  const problems = startupProblems(settings);
  if (problems.length > 0) {
    return { ...base, verdict: 'invalid', entries: [], details: ['The app would not start:', ...problems] };
  }
  const sets = [
    ...route.allOf.filter((set) => set.source !== '@Authorized'),
    ...route.allOf.filter((set) => set.source === '@Authorized'),
  ];
  const entries = await entryVerdicts(sets, user);
  const details = [
    ...(shadowed.length > 0
      ? [
          `Also matching, never reached (the first route registered answers): ${shadowed.map((other) => `${nameOf(other)} (${other.operationId})`).join(', ')}.`,
        ]
      : []),
    ...(route.undescribed.length > 0 ? [`Not judged (not this library's): ${route.undescribed.join(', ')}.`] : []),
  ];
  if (!user) {
    return {
      ...base,
      verdict: 'refused',
      status: 401,
      ...(refusal ? { reason: refusal.reason } : {}),
      entries,
      details: ['The token is refused before authorization: every route, open ones too, answers 401.', ...details],
    };
  }
  if (!route.tokenRequired) {
    return {
      ...base,
      verdict: 'open',
      status: 200,
      entries,
      details: [`${nameOf(route)} has no @Authorized and no guard.`, ...details],
    };
  }
  try {
    for (const set of sets) await authorize(user, [...set.anyOf, ...set.conditions]);
  } catch (error) {
    if (!(error instanceof EntraAuthError)) throw error;
    return { ...base, verdict: 'refused', status: error.status, reason: error.reason, entries, details };
  }
  return { ...base, verdict: 'allowed', status: 200, entries, details };
}

/** Each entry judged alone with `authorize()`, to say which one grants access and which do not. */
async function entryVerdicts(sets: readonly RequirementSet[], user: EntraIdUser | undefined): Promise<EntryVerdict[]> {
  const verdicts: EntryVerdict[] = [];
  for (const requirement of sets.flatMap((set): readonly Requirement[] => [...set.anyOf, ...set.conditions])) {
    const entry = `${requirement.kind}:${requirement.value}`;
    if (!user) {
      verdicts.push({ entry, held: false });
      continue;
    }
    try {
      await authorize(user, [requirement]);
      verdicts.push({ entry, held: true });
    } catch (error) {
      if (error instanceof AuthorizationException && error.reason.startsWith('insufficient_')) {
        verdicts.push({ entry, held: false });
      } else if (
        error instanceof ClaimsChallengeException ||
        (error instanceof AuthorizationException && CONDITION_REFUSALS.includes(error.reason))
      ) {
        // A condition (docs/design.md#authorization, A10) the caller does not meet, or a guest.
        verdicts.push({ entry, held: false, reason: error.reason });
      } else if (error instanceof EntraAuthError) {
        verdicts.push({ entry, held: 'unknown', reason: error.reason });
      } else {
        throw error;
      }
    }
  }
  return verdicts;
}
