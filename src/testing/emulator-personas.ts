// The people who can sign in at the emulator's authorize endpoint, and the page that lets a test
// (or a person trying the demo's Swagger UI) pick one. App-only callers do not sign in: they use
// the client-credentials grant at the token endpoint.
import { overageAdministratorUser } from './emulator-directory';
import { administratorUser, memberUser, type EmulatorUser } from './emulator-identities';

export type PersonaName = 'member' | 'administrator' | 'overageAdministrator';

export interface Persona {
  readonly name: PersonaName;
  readonly user: EmulatorUser;
  /** What the persona stands for, as the picker shows it. */
  readonly role: string;
}

export const PERSONAS: readonly Persona[] = Object.freeze([
  { name: 'member', user: memberUser, role: 'member: in no group' },
  { name: 'administrator', user: administratorUser, role: 'administrator: in the Administrators group' },
  {
    name: 'overageAdministrator',
    user: overageAdministratorUser,
    role: 'administrator in 250 groups: the token shows groups overage, Microsoft Graph lists them',
  },
]);

export function personaNamed(name: string): Persona | undefined {
  return PERSONAS.find((persona) => persona.name === name);
}

/** Headers of the emulator's pages: nothing runs on them, nothing frames them, codes leak to no referrer. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;color:#1b1b1b}' +
  'a.persona{display:block;padding:.8rem 1rem;margin:.6rem 0;border:1px solid #8a8886;border-radius:4px;color:inherit;text-decoration:none}' +
  'a.persona:hover{background:#f3f2f1}small{color:#605e5c}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The picker: one link per persona, each the same authorize request with `persona=` added. */
export function personaPickerPage(query: URLSearchParams, tenantId: string, scopes: readonly string[]): string {
  const links = PERSONAS.map((persona) => {
    const chosen = new URLSearchParams(query);
    chosen.set('persona', persona.name);
    return (
      `<a class="persona" id="persona-${persona.name}" href="?${escapeHtml(chosen.toString())}">` +
      `<strong>${escapeHtml(persona.user.name)}</strong> (${escapeHtml(persona.user.preferredUsername)})<br>` +
      `<small>${escapeHtml(persona.role)}</small></a>`
    );
  }).join('');
  return page(
    'Sign in: Entra ID emulator',
    `<h1>Sign in</h1><p>Entra ID emulator, tenant ${escapeHtml(tenantId)}. Requested: ${escapeHtml(scopes.join(' '))}.</p>` +
      `<p>Pick who signs in:</p>${links}` +
      '<p><small>App-only callers do not sign in: they use the client-credentials grant at the token endpoint.</small></p>',
  );
}

/** What Entra shows instead of redirecting when the client or its redirect URI cannot be trusted. */
export function signInErrorPage(message: string): string {
  return page(
    'Sign-in error: Entra ID emulator',
    `<h1>Sorry, but we cannot sign you in</h1><p>${escapeHtml(message)}</p>`,
  );
}
