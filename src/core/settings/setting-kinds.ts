import {
  IsBoolean,
  IsIn,
  IsInt,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { GroupAliasesConstraint, parseGroupAliases, type GroupAliases } from '../authorization/group-aliases';
import { isAllowedAuthorityUrl } from './authority-url';
import type { ValueKind } from './setting-kind';

/** The value kinds of the settings table: one variable, one key in code. */

@ValidatorConstraint({ name: 'listOf' })
class ListOf implements ValidatorConstraintInterface {
  validate(value: unknown, { constraints }: ValidationArguments): boolean {
    const isEntry = constraints[0] as (entry: string) => boolean;
    return (
      Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string' && isEntry(entry))
    );
  }
}

@ValidatorConstraint({ name: 'allowedUrl' })
class AllowedUrl implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isAllowedAuthorityUrl(value);
  }
}

@ValidatorConstraint({ name: 'authorityUrlTemplate' })
class AuthorityUrlTemplate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    if (value.split('{}').length !== 2 || value.split('/v2.0/').length !== 2) return false;
    // Printable ASCII only, `{}` a whole path segment before `/v2.0/`, no query or fragment: the
    // authority's other endpoints (authorize, token) are derived from it and end up in headers.
    if (!/^[\x21-\x7e]+$/.test(value) || /[?#]/.test(value) || !/\/\{\}\/(?:.*\/)?v2\.0\//.test(value)) return false;
    return isAllowedAuthorityUrl(value.replace('{}', 'tenant'));
  }
}

@ValidatorConstraint({ name: 'resourceIdentifier' })
class ResourceIdentifier implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !isAllowedAuthorityUrl(value)) return false;
    // RFC 9728 §1.2: a URL without a fragment; a query would not survive the well-known path insertion.
    if (value.includes('#') || value.includes('?')) return false;
    // Clients compare the document's `resource` with the URL they called as strings (RFC 9728
    // §3.3), and the metadata path is built from the parsed URL: the two must be the same text.
    const canonical = new URL(value).href;
    return value === canonical || (new URL(value).pathname === '/' && value === canonical.slice(0, -1));
  }
}

const asGiven = <T>(value: T): T => value;

/** Text matching a pattern. */
export function matching(pattern: RegExp, expected: string, accepted: string): ValueKind<string> {
  return {
    accepted,
    decorators: () => [Matches(pattern, { message: expected })],
    fromText: asGiven,
    fromCode: asGiven,
    show: asGiven,
  };
}

/** A comma-separated list of at least one entry; in code, an array. */
export function listOf<Entry extends string>(
  isEntry: (entry: string) => entry is Entry,
  expected: string,
  accepted: string,
): ValueKind<readonly Entry[], readonly string[]> {
  return {
    accepted,
    decorators: () => [Validate(ListOf, [isEntry], { message: expected })],
    fromText: splitList,
    fromCode(value, { key, refuse }) {
      // A string would be read character by character, or fail with a message about commas.
      if (!Array.isArray(value)) refuse(`expected an array of strings in code (${key}), not ${describeType(value)}`);
      return value;
    },
    show: (value) => (value.length > 0 ? value.join(', ') : 'none'),
  };
}

/** A whole number in a range; one message names the unit and the range. */
export function wholeNumber(min: number, max: number, unit: string): ValueKind<number> {
  const message = `expected a whole number of ${unit} from ${min} to ${max}`;
  return {
    accepted: `${min}–${max} ${unit}`,
    decorators: () => [IsInt({ message }), Min(min, { message }), Max(max, { message })],
    fromText: (text) => (/^-?\d{1,15}$/.test(text) ? Number(text) : text),
    fromCode: asGiven,
    show: String,
  };
}

/** `true` or `false`, in any case. */
export function trueOrFalse(): ValueKind<boolean> {
  return {
    accepted: '`true` / `false`',
    decorators: () => [IsBoolean({ message: 'expected true or false' })],
    fromText(text) {
      const lowered = text.toLowerCase();
      return lowered === 'true' ? true : lowered === 'false' ? false : text;
    },
    fromCode: asGiven,
    show: String,
  };
}

/**
 * An https URL, or http on a loopback host. `noun` names it in the message; trailing slashes are
 * dropped where the URL is a base that paths are appended to.
 */
export function httpsUrl(noun: string, options: { dropTrailingSlashes?: true } = {}): ValueKind<string> {
  const normalize = (value: unknown): unknown =>
    options.dropTrailingSlashes && typeof value === 'string' ? value.replace(/\/+$/, '') : value;
  return {
    accepted: `https ${noun} (http on loopback hosts)${options.dropTrailingSlashes ? ', trailing `/` dropped' : ''}`,
    decorators: () => [Validate(AllowedUrl, { message: `expected an https ${noun} (http only for loopback hosts)` })],
    fromText: normalize,
    fromCode: normalize,
    show: asGiven,
  };
}

/** The v2 discovery URL with `{}` for the tenant. */
export function discoveryUrlTemplate(): ValueKind<string> {
  return {
    accepted: 'https URL (http on loopback hosts) with `{}` once as a path segment, then `/v2.0/` once',
    decorators: () => [
      Validate(AuthorityUrlTemplate, {
        message:
          'expected an https URL (http only for loopback hosts) of printable ASCII, without query, with "/{}/" once as the tenant\'s path segment and "/v2.0/" once after it',
      }),
    ],
    fromText: asGiven,
    fromCode: asGiven,
    show: asGiven,
  };
}

/** One of a few words, in any case. */
export function oneOf<const Value extends string>(values: readonly Value[]): ValueKind<Value> {
  return {
    accepted: values.map((value) => `\`${value}\``).join(' / '),
    decorators: () => [IsIn([...values], { message: `expected one of ${values.join(', ')}` })],
    fromText(text) {
      const lowered = text.toLowerCase();
      return values.find((value) => value === lowered) ?? text;
    },
    fromCode: asGiven,
    show: asGiven,
  };
}

/** An RFC 9728 resource identifier: an https URL (http on loopback hosts) without query or fragment. */
export function resourceIdentifier(): ValueKind<string> {
  return {
    accepted: 'https URL (http on loopback hosts) without query or fragment, as a URL parser writes it',
    decorators: () => [
      Validate(ResourceIdentifier, {
        message:
          'expected the https URL of this API (http only for loopback hosts), without query or fragment, in the form a URL parser writes it (lower-case host, no default port, no dot segments, special characters percent-encoded)',
      }),
    ],
    fromText: asGiven,
    fromCode: asGiven,
    show: asGiven,
  };
}

/** `Name=<group object id>` pairs. */
export function groupAliasPairs(): ValueKind<GroupAliases> {
  return {
    accepted: '`Name=<group object id>` pairs',
    decorators: () => [
      Validate(GroupAliasesConstraint, {
        message:
          'expected comma-separated Name=<group object id> pairs; a name is not a GUID and holds no ":", "=" or ","',
      }),
    ],
    fromText: parseGroupAliases,
    // A copy: the settings freeze their aliases, never the caller's object.
    fromCode: (value) => (typeof value === 'object' && value !== null ? { ...value } : value),
    show: (value) =>
      Object.entries(value)
        .map(([name, id]) => `${name}=${id}`)
        .join(', ') || 'none',
  };
}

/** Entries trimmed, empty ones dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function describeType(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
