/** A parsed JSON object and the names of its top-level members, duplicates included, in order. */
export interface ParsedJsonObject {
  readonly value: Record<string, unknown>;
  readonly memberNames: readonly string[];
}

// ignoreBOM keeps a byte-order mark in the text, where JSON.parse refuses it: by default the decoder
// would silently drop it, and a payload that starts with one is not the JSON that was signed as such.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes one JOSE segment: canonical base64url (no padding, no stray bits: Node's decoder
 * silently accepts both), strict UTF-8, and a JSON object. Returns undefined for anything else.
 * JSON.parse keeps the last of two equal member names, so the names are collected separately
 * for the caller to reject duplicates: two `alg`s or two `tid`s must never be ambiguous.
 */
export function decodeJsonSegment(segment: string): ParsedJsonObject | undefined {
  const bytes = decodeCanonicalBase64Url(segment);
  return bytes && decodeJsonBytes(bytes);
}

/** The bytes of a canonical base64url string; undefined for padding, stray bits or other characters. */
export function decodeCanonicalBase64Url(segment: string): Buffer | undefined {
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

/** Strict UTF-8 holding a JSON object, as {@link decodeJsonSegment} but from already decoded bytes. */
export function decodeJsonBytes(bytes: Buffer): ParsedJsonObject | undefined {
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return { value: value as Record<string, unknown>, memberNames: topLevelMemberNames(text) };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Scans text already known to be a JSON object and returns its top-level member names. It runs on
 * every cold verification, so it compares char codes and jumps from quote to quote.
 */
function topLevelMemberNames(json: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let expectingName = false;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) {
      const end = endOfString(json, i);
      if (depth === 1 && expectingName) {
        const raw = json.slice(i + 1, end);
        names.push(raw.includes('\\') ? (JSON.parse(json.slice(i, end + 1)) as string) : raw);
        expectingName = false;
      }
      i = end;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth === 1) expectingName = true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    } else if (code === COMMA && depth === 1) {
      expectingName = true;
    }
  }
  return names;
}

/** The index of the quote closing the string that opens at `start`: one preceded by an even run of backslashes. */
function endOfString(json: string, start: number): number {
  for (let quote = json.indexOf('"', start + 1); quote !== -1; quote = json.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return json.length - 1;
}

/** JSON.parse keeps one member per name: fewer own keys than names means a name repeats. */
export function hasDuplicateMembers(parsed: ParsedJsonObject): boolean {
  return Object.keys(parsed.value).length !== parsed.memberNames.length;
}

export function hasDuplicates(names: readonly string[]): boolean {
  return new Set(names).size !== names.length;
}

/** A member only when the object itself holds it: never something inherited from a prototype. */
export function ownMember(object: object, name: string): unknown {
  return Object.hasOwn(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

/** A response body that must be a JSON object (token and Graph answers); undefined for anything else. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
