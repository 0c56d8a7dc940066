import { GUID_SOURCE } from '../guid';
import type { CompoundKind } from './setting-kind';
import { matching } from './setting-kinds';

// The bare subdomain is an External ID tenant's name (`contoso` of contoso.ciamlogin.com); a rule
// between settings allows it only with AUTHORITY_TYPE=external_id.
const TENANT_PATTERN = new RegExp(
  `^(?:${GUID_SOURCE}|common|organizations|(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$`,
  'i',
);

/**
 * The tenant, from code or from either variable (the prefixed one, then its `ENTRA_` alias). Two
 * variables naming different tenants fail the start: which one a deployment meant is a guess.
 */
export function tenant(): CompoundKind<string, { tenantId?: string }> {
  const text = matching(
    TENANT_PATTERN,
    'expected a tenant GUID, a verified domain, "common" or "organizations" (or an External ID subdomain)',
    'GUID, verified domain, `common`, `organizations`; with `AUTHORITY_TYPE=external_id` also the bare subdomain',
  );
  return {
    accepted: text.accepted,
    decorators: text.decorators,
    show: text.show,
    inputs: ['tenantId'],
    read({ tenantId }, { variables, env, report }) {
      if (tenantId !== undefined && tenantId !== null) return tenantId;
      const [first, second] = variables.map(env);
      // Tenant GUIDs and domains are case-insensitive.
      if (first !== undefined && second !== undefined && first.toLowerCase() !== second.toLowerCase()) {
        report(`${variables.join(' and ')}: both are set, to different tenants; set one`);
      }
      return first ?? second;
    },
  };
}
