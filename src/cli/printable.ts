/** Characters that would act on a terminal or reorder its text: C0/C1 controls, bidi and zero-width marks. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_LENGTH = 200;

/**
 * A value from a token, for a terminal: a token is attacker-written text, so control and bidi
 * characters are escaped and long values cut. Strings are quoted; other values are JSON.
 */
export function quoted(value: unknown): string {
  const text =
    typeof value === 'string' ? `"${value.replace(/["\\]/g, '\\$&')}"` : (JSON.stringify(value) ?? String(value));
  const cut = text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
  return cut.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
