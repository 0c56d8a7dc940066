// `entra-auth-middleware/koa`: the Koa middleware and the RFC 6750 responses.
export { JwtAuthMiddleware, type EntraAuthState } from './jwt-auth-middleware';
export { writeAuthErrorResponse } from './error-response';
export { serveProtectedResourceMetadata } from './protected-resource-metadata';
