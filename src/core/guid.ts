/** The text of a GUID, for patterns that embed one. */
export const GUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const GUID_PATTERN = new RegExp(`^${GUID_SOURCE}$`, 'i');
/** The all-zero GUID: no directory object has it. */
export const NIL_GUID = '00000000-0000-0000-0000-000000000000';

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_PATTERN.test(value);
}

/** Entra emits lowercase GUIDs, but nothing forbids another casing: compare case-insensitively. */
export function sameGuid(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const GUID_INSIDE = new RegExp(GUID_SOURCE, 'i');

/** The first GUID inside a text, e.g. the tenant id inside an issuer URL. */
export function findGuid(text: string): string | undefined {
  return GUID_INSIDE.exec(text)?.[0];
}
