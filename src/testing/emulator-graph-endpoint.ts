// Microsoft Graph's transitive group membership of a user, paged as Graph pages it, for callers
// holding an app token from the emulator's token endpoint. The memberships are the directory's.
import type * as http from 'node:http';
import { isGuid } from '../core/guid';
import type { DirectoryGroup } from './emulator-directory';
import { sendJson, type BytesWritten } from './emulator-responses';
import type { TokenEndpoint } from './emulator-token-endpoint';

/** Graph's default page, and the most this emulator returns per page whatever `$top` asks. */
export const GRAPH_PAGE_SIZE = 100;

export class GraphEndpoint {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenEndpoint,
    /** A user's transitive groups, or undefined for a user the directory does not hold. */
    private readonly transitiveGroupsOf: (oid: string) => readonly DirectoryGroup[] | undefined,
  ) {}

  /** Answers a GET of `/v1.0/users/{userId}/transitiveMemberOf/microsoft.graph.group`. */
  answer(
    userId: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    query: URLSearchParams,
    counted: BytesWritten,
  ): void {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !this.tokens.isValid(bearer)) {
      return sendJson(
        response,
        401,
        graphError('InvalidAuthenticationToken', 'Access token is empty, invalid or expired.'),
        counted,
      );
    }
    const groups = isGuid(userId) ? this.transitiveGroupsOf(userId) : undefined;
    if (!groups) {
      return sendJson(
        response,
        404,
        graphError('Request_ResourceNotFound', 'The user does not exist in this tenant.'),
        counted,
      );
    }
    const top = Math.min(Math.max(Number(query.get('$top') ?? GRAPH_PAGE_SIZE) || GRAPH_PAGE_SIZE, 1), 999);
    const pageSize = Math.min(top, GRAPH_PAGE_SIZE);
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
}

function graphError(code: string, message: string): Record<string, unknown> {
  return { error: { code, message } };
}
