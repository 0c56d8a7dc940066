// `entra-auth-middleware/openapi`: the API's own security in the OpenAPI document that
// routing-controllers-openapi builds, and Swagger UI that signs in with Entra ID.
export {
  AUTHORIZATION_EXTENSION,
  entraSecurity,
  type EntraSecurity,
  type EntraSecurityOptions,
  type OpenApiDocument,
  type OpenApiDocumentInput,
  type OperationSecurity,
} from './entra-security';
export { BEARER_SCHEME, OAUTH2_SCHEME } from './security-schemes';
export { ERROR_SCHEMA } from './error-responses';
export { serveSwaggerUi, type SwaggerUiOptions } from './swagger-ui';
