// Microsoft Graph as the API meets it, for callers holding an app token from the emulator's token
// endpoint: a user's transitive group membership, paged as Graph pages it (the directory's
// memberships), the list of groups, and the API's own application object. Each answers 403 when
// the token lacks the Graph permission it needs.
import type * as http from 'node:http';
import { isGuid } from '../core/guid';
import { GRAPH_PERMISSIONS_NEEDED } from './emulator-application';
import { directoryGroups, transitiveGroupsOf } from './emulator-directory';
import { apiClientId, primaryTenant } from './emulator-identities';
import { sendJson, type BytesWritten } from './emulator-responses';
import type { GraphResource } from './emulator-routes';
import type { IssuedToken, TokenEndpoint } from './emulator-token-endpoint';

/** Graph's default page, and the most this emulator returns per page whatever `$top` asks. */
export const GRAPH_PAGE_SIZE = 100;

export class GraphEndpoint {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenEndpoint,
    /** The API's application object as it stands now (tests patch it). */
    private readonly application: () => Record<string, unknown>,
  ) {}

  /** Answers a GET of a Graph resource; `segment` is the path's variable part (a user or application id). */
  answer(
    resource: GraphResource,
    segment: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    query: URLSearchParams,
    counted: BytesWritten,
  ): void {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer === undefined ? undefined : this.tokens.issuedToken(bearer);
    if (!token) {
      return sendJson(
        response,
        401,
        graphError('InvalidAuthenticationToken', 'Access token is empty, invalid or expired.'),
        counted,
      );
    }
    const needed = GRAPH_PERMISSIONS_NEEDED[resource === 'application' ? 'application' : 'groups'];
    if (!needed.some((permission) => token.permissions.includes(permission))) {
      return sendJson(
        response,
        403,
        graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
        counted,
      );
    }
    switch (resource) {
      case 'memberships':
        return this.answerMemberships(segment, response, query, counted);
      case 'groups':
        return this.answerGroups(response, query, counted);
      case 'application':
        return this.answerApplication(segment, token, response, counted);
    }
  }

  /** `GET /v1.0/users/{userId}/transitiveMemberOf/microsoft.graph.group`, paged. */
  private answerMemberships(
    userId: string,
    response: http.ServerResponse,
    query: URLSearchParams,
    counted: BytesWritten,
  ): void {
    const groups = isGuid(userId) ? transitiveGroupsOf(userId) : undefined;
    if (!groups) {
      return sendJson(
        response,
        404,
        graphError('Request_ResourceNotFound', 'The user does not exist in this tenant.'),
        counted,
      );
    }
    const pageSize = pageSizeFor(query);
    const skip = Number(query.get('$skiptoken') ?? 0) || 0;
    const page = groups.slice(skip, skip + pageSize);
    const next = new URLSearchParams(query);
    next.set('$skiptoken', String(skip + pageSize));
    const path = `/v1.0/users/${encodeURIComponent(userId)}/transitiveMemberOf/microsoft.graph.group`;
    sendJson(
      response,
      200,
      {
        '@odata.context': `${this.baseUrl}/v1.0/$metadata#directoryObjects(microsoft.graph.group)`,
        value: page.map((group) => ({
          '@odata.type': '#microsoft.graph.group',
          id: group.id,
          securityEnabled: group.securityEnabled,
        })),
        ...(skip + pageSize < groups.length ? { '@odata.nextLink': `${this.baseUrl}${path}?${next.toString()}` } : {}),
      },
      counted,
    );
  }

  /** `GET /v1.0/groups`: the first `$top` groups of the directory (one page). */
  private answerGroups(response: http.ServerResponse, query: URLSearchParams, counted: BytesWritten): void {
    sendJson(
      response,
      200,
      {
        '@odata.context': `${this.baseUrl}/v1.0/$metadata#groups`,
        value: directoryGroups()
          .slice(0, pageSizeFor(query))
          .map((group) => ({ id: group.id, securityEnabled: group.securityEnabled })),
      },
      counted,
    );
  }

  /** `GET /v1.0/applications(appId='{appId}')`: the API's registration, in its home tenant only. */
  private answerApplication(
    appId: string,
    token: IssuedToken,
    response: http.ServerResponse,
    counted: BytesWritten,
  ): void {
    if (appId.toLowerCase() !== apiClientId || token.tenantId !== primaryTenant.id) {
      return sendJson(
        response,
        404,
        graphError(
          'Request_ResourceNotFound',
          `Resource '${appId}' does not exist or one of its queried reference-property objects are not present.`,
        ),
        counted,
      );
    }
    sendJson(
      response,
      200,
      { '@odata.context': `${this.baseUrl}/v1.0/$metadata#applications/$entity`, ...this.application() },
      counted,
    );
  }
}

/** `$top` as Graph reads it (1–999, default a page), served at most {@link GRAPH_PAGE_SIZE} at a time. */
function pageSizeFor(query: URLSearchParams): number {
  const top = Math.min(Math.max(Number(query.get('$top') ?? GRAPH_PAGE_SIZE) || GRAPH_PAGE_SIZE, 1), 999);
  return Math.min(top, GRAPH_PAGE_SIZE);
}

function graphError(code: string, message: string): Record<string, unknown> {
  return { error: { code, message } };
}
