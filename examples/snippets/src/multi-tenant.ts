// #region multi-tenant
import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';
// #endregion

// #region multi-tenant
const appContainer = registerEntraAuth(container.createChildContainer(), {
  settings: {
    tenantId: 'organizations', // or 'common'
    clientId: '11111111-2222-3333-4444-555555555555',
    // your customers' tenants; or validateTenant: false for any tenant, said explicitly
    allowedTenants: ['72f988bf-86f1-41af-91ab-2d7cd011db47', 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d'],
  },
});
// #endregion multi-tenant

export { appContainer };
