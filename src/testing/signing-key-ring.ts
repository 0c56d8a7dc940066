import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { PublicRsaKey } from './emulator-documents';
import { getTestKeyPair } from './test-keys';

/** A key the emulator publishes (kid, n, e) and signs with; not the library's verifying `SigningKey`. */
export interface EmulatorKey extends PublicRsaKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * The emulator's keys: those published for every tenant, those published only under `?appid=`,
 * and arbitrary raw entries. Keys are drawn from the shared test-key pool in order and never reused,
 * so every kid this ring ever handed out stays unique and signable, even after it is unpublished
 * (a retired key that still signs is exactly what key-rollover tests need).
 */
export class SigningKeyRing {
  private readonly everLoaded = new Map<string, EmulatorKey>();
  private tenantKids: string[] = [];
  private readonly appKids = new Map<string, string[]>();
  private rawKeys: Record<string, unknown>[] = [];
  private nextPoolIndex = 0;
  private current: string | undefined;

  get currentKid(): string {
    if (this.current === undefined) throw new Error('the emulator has no signing key yet');
    return this.current;
  }

  makeCurrent(kid: string): void {
    this.requireKnown(kid);
    this.current = kid;
  }

  /** Publishes the next pool key for every tenant; the first one ever added becomes current. */
  async addTenantKey(): Promise<EmulatorKey> {
    const key = await this.loadNextPoolKey();
    this.tenantKids.push(key.kid);
    this.current ??= key.kid;
    return key;
  }

  /** Publishes the next pool key only in key sets requested with `?appid=<appId>`. */
  async addAppKey(appId: string): Promise<EmulatorKey> {
    const key = await this.loadNextPoolKey();
    const id = appId.toLowerCase();
    this.appKids.set(id, [...(this.appKids.get(id) ?? []), key.kid]);
    return key;
  }

  /** Unpublishes `kid` wherever it is published. The key stays signable, and stays current if it was. */
  remove(kid: string): void {
    let found = this.tenantKids.includes(kid);
    this.tenantKids = this.tenantKids.filter((published) => published !== kid);
    for (const [appId, kids] of this.appKids) {
      if (kids.includes(kid)) found = true;
      this.appKids.set(
        appId,
        kids.filter((published) => published !== kid),
      );
    }
    if (!found) throw new Error(`signing key ${kid} is not published`);
  }

  publishedKids(appId?: string): string[] {
    return [...this.tenantKids, ...(appId === undefined ? [] : (this.appKids.get(appId.toLowerCase()) ?? []))];
  }

  /** The keys a key-set response lists: tenant keys, then the app's own keys. */
  publishedKeys(appId: string | undefined): EmulatorKey[] {
    return this.publishedKids(appId).map((kid) => this.requireKnown(kid));
  }

  addRaw(jwk: Record<string, unknown>): void {
    this.rawKeys.push(jwk);
  }

  clearRaw(): void {
    this.rawKeys = [];
  }

  get raw(): readonly Record<string, unknown>[] {
    return this.rawKeys;
  }

  /** Any key this ring ever loaded, published or not. */
  find(kid: string): EmulatorKey | undefined {
    return this.everLoaded.get(kid);
  }

  requireKnown(kid: string): EmulatorKey {
    const key = this.everLoaded.get(kid);
    if (!key) throw new Error(`unknown signing key ${kid}`);
    return key;
  }

  private async loadNextPoolKey(): Promise<EmulatorKey> {
    // Reserve the index before awaiting, so concurrent additions never draw the same pool key.
    const { privateKey, publicKey } = await getTestKeyPair(this.nextPoolIndex++);
    const { n, e } = rsaComponents(publicKey);
    // Entra's kids are certificate thumbprints; RFC 7638 JWK thumbprints are the keyless equivalent.
    const key: EmulatorKey = { kid: await calculateJwkThumbprint({ kty: 'RSA', n, e }), n, e, privateKey, publicKey };
    this.everLoaded.set(key.kid, key);
    return key;
  }
}

function rsaComponents(publicKey: KeyObject): { n: string; e: string } {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new TypeError('expected an RSA public key');
  }
  return { n: jwk.n, e: jwk.e };
}
