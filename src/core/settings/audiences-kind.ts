import { isGuid } from '../guid';
import type { CompoundKind } from './setting-kind';
import { listOf, splitList } from './setting-kinds';

export interface AudienceInputs {
  /** Accepted audiences; a GUID also accepts `api://<GUID>`. */
  audiences?: readonly string[];
  /** The application (client) id: accepted as `<id>` and `api://<id>`. */
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
        return expand(listed, input.clientId, undefined);
      }
      const [listVariable, clientIdVariable, extraVariable] = variables as [string, string, string];
      const listedText = env(listVariable);
      const listed = listedText === undefined ? undefined : splitList(listedText);
      const clientId = env(clientIdVariable);
      if (listed && clientId && !listed.some((id) => id === clientId || id === `api://${clientId}`)) {
        report(`${listVariable} and ${clientIdVariable}: both are set, to different applications; set one`);
      }
      return expand(listed, clientId, env(extraVariable));
    },
  };
}

function expand(
  listed: readonly string[] | undefined,
  clientId: string | undefined,
  extra: string | undefined,
): readonly string[] | undefined {
  const entries = [...(listed ?? []), ...(clientId ? [clientId] : []), ...(extra ? [extra] : [])];
  if (entries.length === 0) return undefined;
  const expanded = entries.flatMap((entry) => (isGuid(entry) ? [entry, `api://${entry}`] : [entry]));
  return [...new Set(expanded)];
}
