/**
 * The kinds of endpoint the library calls (the token endpoint and Graph only for groups overage),
 * and the authorize endpoint where browsers sign in; counters and faults are kept per kind.
 */
export type EndpointKind = 'discovery' | 'keys' | 'token' | 'graph' | 'authorize';
export const ENDPOINT_KINDS: readonly EndpointKind[] = ['discovery', 'keys', 'token', 'graph', 'authorize'];
export type FaultTarget = EndpointKind | 'all';

/** A misbehaviour of the authority, as the library may meet it in production. */
export type EmulatorFault =
  /** The connection is destroyed before any response byte. */
  | { readonly kind: 'down' }
  /** This status; the body defaults to a small JSON error. `retryAfterSeconds` adds `Retry-After` (throttling). */
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly retryAfterSeconds?: number }
  /** The normal answer, after a real-time delay. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** 200 with this body (default content type application/json). */
  | { readonly kind: 'garbage'; readonly body: string; readonly contentType?: string }
  /** 200 with `bytes` of JSON-looking filler, chunked, with no content-length. */
  | { readonly kind: 'huge'; readonly bytes: number }
  /** A redirect (default 302) that a careful client must not follow. */
  | { readonly kind: 'redirect'; readonly location: string; readonly status?: number };

export interface FaultOptions {
  /** Apply to the next `times` requests only, then clear. Default: until replaced. */
  readonly times?: number;
}

interface ScheduledFault {
  readonly fault: EmulatorFault;
  remaining: number;
}

/** Which fault, if any, the next request to each endpoint kind gets. */
export class FaultSchedule {
  private readonly slots = new Map<EndpointKind, ScheduledFault>();

  set(target: FaultTarget, fault: EmulatorFault | undefined, options: FaultOptions = {}): void {
    const kinds: readonly EndpointKind[] = target === 'all' ? ENDPOINT_KINDS : [target];
    if (fault === undefined) {
      for (const kind of kinds) this.slots.delete(kind);
      return;
    }
    checkFault(fault);
    const times = options.times ?? Infinity;
    if (times !== Infinity && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError(`fault times must be a whole number ≥ 1, got ${times}`);
    }
    // 'all' shares one entry between the kinds, so `times` counts requests of any kind.
    const entry: ScheduledFault = { fault, remaining: times };
    for (const kind of kinds) this.slots.set(kind, entry);
  }

  /** The fault for this request, using up one of its `times`. */
  take(kind: EndpointKind): EmulatorFault | undefined {
    const entry = this.slots.get(kind);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      for (const [slot, scheduled] of this.slots) if (scheduled === entry) this.slots.delete(slot);
    }
    return entry.fault;
  }
}

function checkFault(fault: EmulatorFault): void {
  switch (fault.kind) {
    case 'status':
      // Below 200 is not a final response; Node would not send it as one.
      if (!Number.isInteger(fault.status) || fault.status < 200 || fault.status > 599) {
        throw new RangeError(`fault status must be 200–599, got ${fault.status}`);
      }
      return;
    case 'slow':
      if (!(fault.delayMs >= 0)) throw new RangeError(`fault delayMs must be ≥ 0, got ${fault.delayMs}`);
      return;
    case 'huge':
      if (!Number.isSafeInteger(fault.bytes) || fault.bytes < 0) {
        throw new RangeError(`fault bytes must be a whole number ≥ 0, got ${fault.bytes}`);
      }
      return;
    case 'redirect': {
      const { status } = fault;
      if (status !== undefined && !(Number.isInteger(status) && status >= 300 && status <= 399)) {
        throw new RangeError(`redirect status must be 3xx, got ${status}`);
      }
      return;
    }
    case 'down':
    case 'garbage':
      return;
    default:
      throw new TypeError(`unknown fault kind: ${String((fault as { kind?: unknown }).kind)}`);
  }
}
