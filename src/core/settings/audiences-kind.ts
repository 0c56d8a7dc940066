import { GUID_SOURCE, isGuid } from '../guid';
import type { CompoundKind } from './setting-kind';
import { listOf, splitList } from './setting-kinds';

export interface AudienceInputs {
  /** Accepted audiences; a GUID also accepts `api://<GUID>`, and both in lower case. */
  audiences?: readonly string[];
  /** The application (client) id: accepted as `<id>` and `api://<id>`; `api://<id>` given here reads as `<id>`. */
  clientId?: string;
}

const isAudience = (entry: string): entry is string => /^[^\s,]{1,256}$/.test(entry);

/**
 * Every accepted `aud` value, expanded (a GUID also accepts `api://<GUID>`). Its variables, in
 * order: the audience list, the API's application id, one more audience. Set in code (`audiences`,
 * `clientId`), they replace the environment's: a leftover variable must never widen them.
 */
export function audiences(): CompoundKind<readonly string[], AudienceInputs> {
  const entries = listOf(
    isAudience,
    'expected one or more audiences (application ids or App ID URIs), comma-separated',
    'entries of 1–256 characters, no whitespace or comma',
  );
  return {
    accepted: entries.accepted,
    decorators: entries.decorators,
    show: entries.show,
    inputs: ['audiences', 'clientId'],
    read(input, { variables, env, report, refuse }) {
      if (input.audiences !== undefined || input.clientId !== undefined) {
        const listed =
          input.audiences === undefined ? undefined : entries.fromCode(input.audiences, { key: 'audiences', refuse });
        // Never spread what was refused: "api://x" is not the audiences a, p, i, …
        if (listed !== undefined && !Array.isArray(listed)) return listed;
        return expand(listed, applicationIdOf(input.clientId), undefined);
      }
      const [listVariable, clientIdVariable, extraVariable] = variables as [string, string, string];
      const listedText = env(listVariable);
      const listed = listedText === undefined ? undefined : splitList(listedText);
      const clientId = applicationIdOf(env(clientIdVariable));
      if (listed && clientId && !listed.some((id) => id === clientId || id === `api://${clientId}`)) {
        report(`${listVariable} and ${clientIdVariable}: both are set, to different applications; set one`);
      }
      return expand(listed, clientId, env(extraVariable));
    },
  };
}

/**
 * The application id a client id setting names. Its default App ID URI, `api://<GUID>`, is read as
 * the GUID inside it: v2 tokens carry the bare application id, which an `api://` audience alone
 * would refuse while v1 tokens pass (docs/design.md#d64).
 */
function applicationIdOf(clientId: string | undefined): string | undefined {
  const inUri = clientId === undefined ? null : APP_ID_URI.exec(clientId);
  return inUri ? inUri[1] : clientId;
}

const APP_ID_URI = new RegExp(`^api://(${GUID_SOURCE})/?$`, 'i');

function expand(
  listed: readonly string[] | undefined,
  clientId: string | undefined,
  extra: string | undefined,
): readonly string[] | undefined {
  const entries = [...(listed ?? []), ...(clientId ? [clientId] : []), ...(extra ? [extra] : [])];
  if (entries.length === 0) return undefined;
  // Entra writes application ids in lower case: a GUID given in upper case must still match them.
  const expanded = entries.flatMap((entry) =>
    isGuid(entry) ? [entry, entry.toLowerCase()].flatMap((id) => [id, `api://${id}`]) : [entry],
  );
  return [...new Set(expanded)];
}
