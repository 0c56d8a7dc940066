/** A seeded PRNG (mulberry32): the battery generates the same corpus on every run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)]!;
  }

  bigBits(bits: number): bigint {
    let value = 0n;
    for (let filled = 0; filled < bits; filled += 16) value = (value << 16n) | BigInt(this.int(0, 1 << 16));
    return value & ((1n << BigInt(bits)) - 1n);
  }
}
