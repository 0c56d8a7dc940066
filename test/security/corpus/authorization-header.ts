// The Authorization header itself: missing, other schemes, empty, two tokens, two headers.
import type { CorpusContext, HostileCase, Scenario } from './hostile-case';

function authorizationHeaderCases({ emulator }: CorpusContext): HostileCase[] {
  const valid = emulator.mintAccessToken();
  const other = emulator.mintAccessToken({ user: emulator.users.administrator });
  const headerValues: Array<[string, string | string[] | undefined]> = [
    ['no Authorization header', undefined],
    ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['Digest credentials', 'Digest username="u", realm="api", nonce="n", response="r"'],
    ['a valid token under the Token scheme', `Token ${valid}`],
    ['a valid token under the DPoP scheme', `DPoP ${valid}`],
    ['a valid token under the Bearerx scheme', `Bearerx ${valid}`],
    ['a valid token without a scheme', valid],
    ['a valid token after a tab', `Bearer\t${valid}`],
    ['a valid token under Negotiate', `Negotiate ${valid}`],
    ['empty header', ''],
    ['Bearer alone', 'Bearer'],
    ['Bearer and spaces', 'Bearer     '],
    ['two tokens', `Bearer ${valid} ${other}`],
    ['two Bearer tokens in one header', `Bearer ${valid} Bearer ${other}`],
    ['comma-joined Bearer credentials', `Bearer ${valid}, Bearer ${other}`],
    ['comma-joined tokens', `Bearer ${valid},${other}`],
    ['comma-joined with Basic', `Basic dXNlcjpwYXNz, Bearer ${valid}`],
    ['Bearer token then a parameter', `Bearer ${valid}, realm="api"`],
    ['two Authorization headers, both valid', [`Bearer ${valid}`, `Bearer ${other}`]],
    ['two Authorization headers, the same token', [`Bearer ${valid}`, `Bearer ${valid}`]],
    ['two Authorization headers, Basic then Bearer', ['Basic dXNlcjpwYXNz', `Bearer ${valid}`]],
    ['two Authorization headers, Bearer then empty', [`Bearer ${valid}`, '']],
    ['three Authorization headers', [`Bearer ${valid}`, `Bearer ${valid}`, `Bearer ${other}`]],
  ];
  return headerValues.map(([name, value]): HostileCase => ({
    name,
    headers: value === undefined ? {} : ({ Authorization: value } as Record<string, string | string[]>),
    token: valid,
  }));
}

export const authorizationHeaderScenarios: Scenario[] = [
  { name: 'the Authorization header', cases: authorizationHeaderCases },
];
