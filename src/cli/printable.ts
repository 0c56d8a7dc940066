/**
 * Characters that act on a terminal, or hide, reorder or fake text: C0 and C1 controls (ESC, CR,
 * CSI U+009B) and DEL (Cc), format characters (Cf: bidi embeddings, overrides and isolates,
 * U+200E/U+200F, U+061C, zero-width characters, U+FEFF, tag characters), the line and paragraph
 * separators U+2028/U+2029 (Zl, Zp) and lone surrogates (Cs).
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const MAX_LENGTH = 200;

/** `\uXXXX` for each UTF-16 unit (a surrogate pair for a character past U+FFFF), as JSON writes it. */
function escaped(char: string): string {
  let text = '';
  for (let index = 0; index < char.length; index++) {
    text += `\\u${char.charCodeAt(index).toString(16).padStart(4, '0')}`;
  }
  return text;
}

function cut(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

/**
 * A string that someone else wrote (a claim or header name or value, what the authority or Graph
 * serves), for a line of a report: unsafe characters and backslashes escaped, a long one cut.
 */
export function printable(text: string): string {
  return cut(text.replace(/\\/g, '\\\\')).replace(UNSAFE, escaped);
}

/** A value from a token, in a line of a report: strings quoted, other values as JSON; escaped and cut as `printable`. */
export function quoted(value: unknown): string {
  const text =
    typeof value === 'string' ? `"${value.replace(/["\\]/g, '\\$&')}"` : (JSON.stringify(value) ?? String(value));
  return cut(text).replace(UNSAFE, escaped);
}

/**
 * Everything the CLI writes to a terminal, as a last guard: the same characters escaped, the
 * report's own line breaks kept (a string inside a line went through `printable` or `quoted`
 * already, line breaks included).
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (char) => (char === '\n' ? char : escaped(char)));
}

/**
 * `--json`: JSON.stringify escapes C0 controls only; every unsafe character is written as
 * `\uXXXX` too, which JSON parsers read back as the same character.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE, (char) => (char === '\n' ? char : escaped(char)));
}
