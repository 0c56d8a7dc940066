import type { Middleware } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import {
  protectedResourceMetadata,
  resourceMetadataUrl,
  type ProtectedResourceMetadataOptions,
} from '../core/resource-metadata/protected-resource-metadata';
import { Settings } from '../core/settings/settings';

/**
 * Serves this API's protected resource metadata (RFC 9728) at the path `RESOURCE_URL` gives it,
 * `/.well-known/oauth-protected-resource` (followed by the resource's own path, if any), to GET and
 * HEAD; every other request goes on. Mount it before `useEntraAuth`: the document is public, and
 * a client with a bad token must still be able to read where to get a good one. The document is
 * built now, so a missing `RESOURCE_URL` or a bad option fails the start.
 */
export function serveProtectedResourceMetadata(
  container: DependencyContainer,
  options: ProtectedResourceMetadataOptions = {},
): Middleware {
  const settings = container.resolve(Settings);
  const body = JSON.stringify(protectedResourceMetadata(settings, options));
  const path = new URL(resourceMetadataUrl(settings.resourceUrl!)).pathname;
  return async (ctx, next) => {
    if (ctx.path !== path || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.status = 200;
    ctx.type = 'application/json';
    // Public, credential-free metadata: browser-based OAuth clients read it from other origins.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = body;
  };
}
