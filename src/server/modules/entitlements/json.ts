/**
 * The calculator's answer as UTF-8 bytes, byte for byte what `JSON.stringify` gives, made faster
 * for this shape of data:
 * - most of an answer is clauses, parameter entries and fixed explanation lines that the engine
 *   shares between answers (deeply frozen, see `rules/shared.ts`): their JSON is made and
 *   encoded once, then copied;
 * - V8's JSON.stringify is slow on Chinese (two-byte) text, while the engine's strings almost
 *   never need escaping: a string is quoted as is after one regular-expression check;
 * - the rest is encoded straight into a reused buffer, with no second pass to count bytes.
 * Only plain data is walked (objects with Object.prototype, arrays, strings, numbers, booleans,
 * null); anything else is handed to JSON.stringify.
 */
import { isShared } from '../../../rules/shared.ts';

interface SharedJson {
  text: string;
  /** UTF-8, for parts long enough to be worth a copy rather than encoding again. */
  bytes: Buffer | null;
}

/** JSON of shared parts, by identity (they are frozen, so it never goes stale). */
const SHARED_JSON = new WeakMap<object, SharedJson>();
const COPY_FROM_BYTES = 160;
/** `"key":` and `,"key":` of the keys seen so far (the answer has a few dozen field names). */
const KEYS = new Map<string, readonly [string, string]>();
/** What JSON.stringify would escape, and surrogates (left to it, to keep lone ones right). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function key(k: string, first: boolean): string {
  let s = KEYS.get(k);
  if (s === undefined) {
    const q = `${quote(k)}:`;
    s = [q, `,${q}`];
    if (KEYS.size < 1024) KEYS.set(k, s);
  }
  return s[first ? 0 : 1];
}

function hasToJSON(x: object): boolean {
  return typeof (x as { toJSON?: unknown }).toJSON === 'function';
}

/** One growing scratch buffer: writing is synchronous, so answers never share it at once. */
let scratch = Buffer.allocUnsafe(256 * 1024);

/** Text is gathered in a string and encoded in one go before each block of shared bytes. */
class Writer {
  text = '';
  private off = 0;

  private room(n: number): void {
    if (this.off + n <= scratch.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, this.off + n));
    scratch.copy(bigger, 0, 0, this.off);
    scratch = bigger;
  }

  private flush(): void {
    if (this.text.length === 0) return;
    // At most 3 bytes of UTF-8 per UTF-16 code unit.
    this.room(this.text.length * 3);
    this.off += scratch.write(this.text, this.off);
    this.text = '';
  }

  bytes(b: Buffer): void {
    this.flush();
    this.room(b.length);
    scratch.set(b, this.off);
    this.off += b.length;
  }

  /** A copy of what was written (the scratch buffer is reused by the next answer). */
  done(): Buffer {
    this.flush();
    const out = Buffer.allocUnsafeSlow(this.off);
    scratch.copy(out, 0, 0, this.off);
    return out;
  }
}

function sharedJson(v: object): SharedJson {
  let s = SHARED_JSON.get(v);
  if (s === undefined) {
    const text = JSON.stringify(v);
    const bytes = Buffer.from(text);
    s = { text, bytes: bytes.length >= COPY_FROM_BYTES ? bytes : null };
    SHARED_JSON.set(v, s);
  }
  return s;
}

/** Write a value as JSON.stringify would; false where it leaves the value out. */
function write(w: Writer, v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      w.text += quote(v);
      return true;
    case 'number':
      w.text += Number.isFinite(v) ? String(v) : 'null';
      return true;
    case 'boolean':
      w.text += v ? 'true' : 'false';
      return true;
    case 'object': {
      if (v === null) {
        w.text += 'null';
        return true;
      }
      if (isShared(v)) {
        const s = sharedJson(v);
        if (s.bytes !== null) w.bytes(s.bytes);
        else w.text += s.text;
        return true;
      }
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype || hasToJSON(v)) {
          w.text += JSON.stringify(v);
          return true;
        }
        w.text += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) w.text += ',';
          if (!write(w, v[i])) w.text += 'null';
        }
        w.text += ']';
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if ((proto !== Object.prototype && proto !== null) || hasToJSON(v)) {
        w.text += JSON.stringify(v);
        return true;
      }
      w.text += '{';
      let first = true;
      const o = v as Record<string, unknown>;
      // for-in (own keys only) visits keys in the order Object.keys and JSON.stringify do,
      // without making an array of them for every object.
      for (const k in o) {
        if (!Object.hasOwn(o, k)) continue;
        const x = o[k];
        // What JSON.stringify leaves out of an object.
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        w.text += key(k, first);
        first = false;
        write(w, x);
      }
      w.text += '}';
      return true;
    }
    case 'bigint':
      // JSON.stringify throws on it, and so should this.
      w.text += JSON.stringify(v);
      return true;
    default:
      // undefined, functions, symbols
      return false;
  }
}

/** `JSON.stringify(answer)` as UTF-8 bytes. */
export function entitlementsJson(answer: unknown): Buffer {
  const w = new Writer();
  write(w, answer);
  return w.done();
}
