import { isGuid } from '../guid';
import type { TimedMembership } from './membership-cache';

/** A lookup follows at most 50 pages of 999: a record claiming more is not one of ours. */
const MAX_GROUPS = 50 * 999;

/** The store key of a user's memberships (tenant and user ids lowercase). */
export function membershipKey(tenantId: string, userId: string): string {
  return `graph:groups:${tenantId}/${userId}`;
}

/** The store key of the lock that makes one Graph lookup of a user for the fleet. */
export function lookupLockKey(tenantId: string, userId: string): string {
  return `graph:lookup:${tenantId}/${userId}`;
}

/** A user's memberships as the store holds them: the user it is for, the groups, its expiry. */
export function encodeMembership(tenantId: string, userId: string, membership: TimedMembership): string {
  return JSON.stringify({
    v: 1,
    tid: tenantId,
    oid: userId,
    groups: membership.groups,
    expiresAt: membership.expiresAt,
  });
}

/**
 * The memberships a stored text holds for this user, or `undefined`: anything but a record of
 * ours for exactly this user, with lowercase group GUIDs and an expiry still ahead, is a miss.
 * Memberships grant access, so foreign or damaged data is never believed, and never for longer
 * than `GROUPS_CACHE_TTL` (`ttlMs`) from now, whatever expiry the record states (the writer's clock
 * may run ahead; foreign data may say anything).
 */
export function decodeMembership(
  text: string,
  tenantId: string,
  userId: string,
  now: number,
  ttlMs: number,
): TimedMembership | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const { v, tid, oid, groups, expiresAt } = record as Record<string, unknown>;
  if (v !== 1 || tid !== tenantId || oid !== userId) return undefined;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt) || expiresAt <= now) return undefined;
  if (!Array.isArray(groups) || groups.length > MAX_GROUPS) return undefined;
  if (!groups.every((id) => isGuid(id) && id === id.toLowerCase())) return undefined;
  return { groups: groups as string[], expiresAt: Math.min(expiresAt, now + ttlMs) };
}
