/**
 * Small, fast, seeded pseudo-random numbers for the synthetic city. sfc32 (Chris Doty-Humphrey's
 * "small fast counting" generator, PractRand-clean, 128-bit state) seeded through splitmix32, so
 * every stream is reproducible from `(seed, labels…)` and independent of call order elsewhere.
 * Never Math.random: the same seed and scale must give byte-identical output.
 */

/** 32-bit hash of a list of labels (FNV-1a over the UTF-16 code units, then murmur3's fmix32). */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // separator so ('ab','c') ≠ ('a','bc')
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Hash of integers only (hot paths: one person, one household). */
export function hashInts(a: number, b: number, c = 0, d = 0): number {
  let h = fmix32(a ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b | 0, 0x85ebca6b));
  h = fmix32(h ^ Math.imul(c | 0, 0xc2b2ae35));
  return fmix32(h ^ Math.imul(d | 0, 0x27d4eb2f));
}

function splitmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 expands one 32-bit seed into the 128-bit state.
    const s = seed | 0;
    this.a = splitmix32(s + 0x9e3779b9);
    this.b = splitmix32(s + 0x3c6ef372);
    this.c = splitmix32(s + 0xdaa66d2b);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A stream derived from labels: `Rng.of(seed, 'area', 3)`. */
  static of(...parts: Array<string | number>): Rng {
    return new Rng(hashSeed(...parts));
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller; one value per call keeps the stream simple). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Index drawn from cumulative weights (last entry = total). */
  weighted(cumulative: ArrayLike<number>): number {
    const x = this.next() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Rounds x up or down at random so the expectation is x. */
  round(x: number): number {
    const f = Math.floor(x);
    return f + (this.next() < x - f ? 1 : 0);
  }

  /** In-place Fisher–Yates shuffle of a typed or plain array. */
  shuffle<T extends { length: number; [i: number]: number }>(arr: T, from = 0, to = arr.length): T {
    for (let i = to - 1; i > from; i--) {
      const j = from + Math.floor(this.next() * (i - from + 1));
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}

/** Cumulative sums of weights, for `Rng.weighted`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    out[i] = s;
  }
  return out;
}
