// Preloaded with `node --require` in a child process: from then on `@opentelemetry/api` resolves
// as a package that is not installed does (MODULE_NOT_FOUND), whatever node_modules holds, so the
// library is loaded and run exactly as in an application without the optional peer.
import Module from 'node:module';

type Resolve = (this: unknown, request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;

loader._resolveFilename = function (request, ...rest) {
  if (request === '@opentelemetry/api' || request.startsWith('@opentelemetry/api/')) {
    const error = new Error(`Cannot find module '${request}'`) as NodeJS.ErrnoException;
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
