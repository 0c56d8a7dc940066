import type { EntraEmulator } from '../../src/testing';

/** Graph lookups the emulator served: requests for a user's first page (later pages carry a `$skiptoken`). */
export function graphLookups(emulator: EntraEmulator): number {
  return emulator.requestLog.filter((line) => line.includes('/transitiveMemberOf/') && !line.includes('skiptoken'))
    .length;
}
