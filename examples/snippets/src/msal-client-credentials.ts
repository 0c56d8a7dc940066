// #region msal-client-credentials
import { ConfidentialClientApplication } from '@azure/msal-node';
// #endregion

export async function accessTokenForTheApi(): Promise<string | undefined> {
  // #region msal-client-credentials
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: '<client app id>',
      clientSecret: '<secret>',
      authority: 'https://login.microsoftonline.com/<tenant>',
    },
  });
  const result = await cca.acquireTokenByClientCredential({ scopes: ['api://<api client id>/.default'] });
  // #endregion msal-client-credentials
  return result?.accessToken;
}
