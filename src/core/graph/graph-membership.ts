import type { AppTokenSource } from './app-token-source';
import { GraphRequestFailure, failureOf } from './graph-request-failure';
import type { HttpClient } from '../http-client';
import { isGuid } from '../guid';
import { parseJsonObject } from '../json-object';
import type { Settings } from '../settings/settings';

/** 999 per page is Graph's maximum; 50 pages (~50 000 groups) bounds a lookup that never ends. */
const PAGE_SIZE = 999;
const MAX_PAGES = 50;
/** All pages of one lookup share this many request timeouts: a Graph that answers each page just in time must not hold a request for minutes. */
const LOOKUP_DEADLINE_TIMEOUTS = 2;

/**
 * A user's transitive security-group memberships from Microsoft Graph
 * (`/v1.0/users/{oid}/transitiveMemberOf/microsoft.graph.group`), with the API's app token for the
 * user's tenant. Follows `@odata.nextLink` only to the same resource (same origin, same decoded
 * path; the query, `$skiptoken`, may differ): a link elsewhere is a failure, never a request (the
 * same reason `_claim_sources` in tokens is never followed), so that no answer can make this lookup
 * read another user's memberships, or anything else, with the API's app token.
 */
export async function fetchTransitiveSecurityGroups(
  settings: Settings,
  http: HttpClient,
  tokens: AppTokenSource,
  tenantId: string,
  userId: string,
): Promise<string[]> {
  const first = new URL(
    `${settings.graphUrl}/v1.0/users/${encodeURIComponent(userId)}/transitiveMemberOf/microsoft.graph.group` +
      `?$select=id,securityEnabled&$top=${PAGE_SIZE}`,
  );
  const accessToken = await tokens.tokenFor(tenantId);
  // Real time, like every HTTP timeout here: it bounds I/O, not token lifetimes.
  const deadline = Date.now() + LOOKUP_DEADLINE_TIMEOUTS * settings.httpTimeoutMs;
  const groups: string[] = [];
  let next: string | undefined = first.toString();
  for (let page = 0; next !== undefined; page++) {
    if (page === MAX_PAGES) throw new GraphRequestFailure('too_many_pages');
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) throw new GraphRequestFailure('timeout');
    const response = await http.get(next, {
      timeoutMs: Math.min(settings.httpTimeoutMs, remainingMs),
      maxBytes: settings.httpMaxBytes,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (response.status === 401) tokens.forget(tenantId, accessToken);
    if (response.status !== 200) throw failureOf(response);
    const body = parseJsonObject(response.body);
    if (!body || !Array.isArray(body.value)) throw new GraphRequestFailure('invalid_response');
    for (const member of body.value as unknown[]) {
      const { id, securityEnabled } = (member ?? {}) as { id?: unknown; securityEnabled?: unknown };
      if (!isGuid(id)) throw new GraphRequestFailure('invalid_response');
      // Without a permission to read groups (User.Read.All only), Graph returns groups with
      // limited properties: dropping them would be the silent "no groups" this class exists to avoid.
      if (typeof securityEnabled !== 'boolean') throw new GraphRequestFailure('limited_group_properties');
      if (securityEnabled) groups.push(id.toLowerCase());
    }
    const link = body['@odata.nextLink'];
    if (link !== undefined && (typeof link !== 'string' || !isSameResource(link, first))) {
      throw new GraphRequestFailure('foreign_next_link');
    }
    next = link;
  }
  return groups;
}

/**
 * Same origin and the same path once decoded: `..` segments (also as `%2E%2E`) are resolved by the
 * URL parser, and an encoded `/` (`%2F`) decodes to a path that no longer matches.
 */
function isSameResource(link: string, resource: URL): boolean {
  try {
    const url = new URL(link);
    return (
      url.origin === resource.origin &&
      url.username === '' &&
      url.password === '' &&
      decodeURIComponent(url.pathname) === decodeURIComponent(resource.pathname)
    );
  } catch {
    return false;
  }
}
