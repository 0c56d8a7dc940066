import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isGuid, sameGuid } from '../guid';

/** `GROUP_ALIASES`: group names an app writes in `@Authorized`, each mapped to the object id tokens carry. */
export type GroupAliases = Readonly<Record<string, string>>;

/** A name must not read as an object id, a prefixed entry (`role:x`) or a list separator. */
const ALIAS_NAME = /^[^:=,]+$/;

/**
 * Reads `Name=<object-id>,Other=<object-id>`; returns the raw text when it is not that shape, so
 * that validation names the variable. Names keep their inner spaces ("Sales Managers").
 */
export function parseGroupAliases(value: string | undefined): GroupAliases | string {
  if (value === undefined) return {};
  const aliases: Record<string, string> = Object.create(null);
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const separator = pair.indexOf('=');
    if (separator < 0) return value;
    const name = pair.slice(0, separator).trim();
    if (Object.hasOwn(aliases, name)) return value;
    aliases[name] = pair.slice(separator + 1).trim();
  }
  return aliases;
}

@ValidatorConstraint({ name: 'groupAliases' })
export class GroupAliasesConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    return Object.entries(value).every(
      ([name, id]) => ALIAS_NAME.test(name) && name.trim() === name && !isGuid(name) && isGuid(id),
    );
  }
}

/**
 * Whether a held group (from the groups provider) is the required one: object ids compare
 * case-insensitively; an aliased name matches its object id only (display names are not unique: any
 * group called "Administrators" must not pass for the one the alias names); any other name matches
 * itself exactly (tenants that emit names, or providers that answer names).
 */
export function groupMatches(required: string, held: string, aliases: GroupAliases): boolean {
  if (isGuid(required)) return isGuid(held) && sameGuid(required, held);
  const aliasId = Object.hasOwn(aliases, required) ? aliases[required] : undefined;
  if (aliasId !== undefined) return isGuid(held) && sameGuid(aliasId, held);
  return required === held;
}

/** Whether a group entry can ever match without relying on the tokens carrying names. */
export function isKnownGroup(required: string, aliases: GroupAliases): boolean {
  return isGuid(required) || Object.hasOwn(aliases, required);
}
