// The client side of a claims challenge.
// #region step-up-client
// MSAL's token call: in a browser msal.acquireTokenPopup.bind(msal) (@azure/msal-browser).
type AcquireToken = (request: { scopes: string[]; claims?: string }) => Promise<{ accessToken: string }>;

export async function callApi(url: string, accessToken: string, acquireToken: AcquireToken): Promise<Response> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  const challenge = response.headers.get('WWW-Authenticate') ?? '';
  const claims = /error="insufficient_claims"/.test(challenge) ? /claims="([^"]+)"/.exec(challenge)?.[1] : undefined;
  if (response.status !== 401 || claims === undefined) return response;
  // The user signs in again under the policy the claims name; the new token carries acrs ["c1"].
  const stepped = await acquireToken({ scopes: ['api://<client-id>/access_as_user'], claims: atob(claims) });
  return fetch(url, { headers: { Authorization: `Bearer ${stepped.accessToken}` } });
}
// #endregion step-up-client
