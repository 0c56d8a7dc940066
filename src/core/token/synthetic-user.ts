import { deepFreeze } from './claims';
import { NIL_GUID } from '../guid';
import { describeVariables } from '../settings/settings-table';
import type { Logger } from '../telemetry/logger';
import type { VerifiedAccessToken } from './verified-access-token';

/**
 * What every request carries under `AUTH_MIDDLEWARE_DISABLED=true` (never in production). Nil
 * GUIDs, so the synthetic user can never be mistaken for, or collide with, a real directory object.
 */
export const SYNTHETIC_ACCESS_TOKEN: VerifiedAccessToken = deepFreeze({
  claims: {
    oid: NIL_GUID,
    tid: NIL_GUID,
    name: 'Local Developer',
    preferred_username: 'local.developer@localhost',
    scp: 'access_as_user',
    ver: '2.0',
  },
  header: {},
  version: '2.0',
  kid: 'synthetic',
});

export function warnAuthenticationDisabled(logger: Logger): void {
  logger.warn(
    `${describeVariables('middlewareDisabled')}=true: token validation is OFF and every request is the synthetic user "Local Developer". Never use this outside local development.`,
    { code: 'ENTRA_AUTH_DISABLED' },
  );
}
