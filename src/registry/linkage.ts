/**
 * Fuzzy linkage of a record without a usable ID number to a registered person: the same birth
 * date is required; then name, sex, mother and street add up to a score. High scores link
 * automatically, medium ones go to the staff's review queue, low ones stay unlinked. Twins (same
 * birth date, same mother or household, different names) are never merged: where the candidates
 * include twins, only an exact name can link.
 *
 * Names are compared by character and by sound, the toneless pinyin with surname readings
 * (pinyin-pro: 曾 zeng, 单 shan), because clerks' typos are mostly homophones picked from the
 * input method's list (张伟 → 章伟, 王 → 汪, 伟 → 玮):
 *   name.exact    60  the same characters;
 *   name.sound    35  the same syllables, syllable for syllable (a homophone anywhere, surname
 *                     included);
 *   name.similar  30  the same surname character, the given name one character off.
 * Then sex 10, mother 15, street 15 (or, where a side has no street code, the same address
 * text; a different sex or mother rules the candidate out).
 * Only an exact name can link by itself: a sound-alike name with sex, mother and street all
 * agreeing scores 75 and goes to review, as a similar one does (70). The same birth date and
 * mother with a name that sounds the same but is written differently is a typo or a twin with a
 * homophone name (张一 and 张依, 涵 and 晗); when the other twin is not registered yet nothing
 * else tells the two apart, so staff decide. With one of the three facts missing a sound-alike
 * scores 60–65 (review), with only one of them 45–50 (dropped: a common name's homophones born
 * the same day are many in a city of millions).
 * In practice only birth certificates name a mother, and a registered person has one only once
 * a birth certificate linked to them.
 */
import { pinyin } from 'pinyin-pro';

export type Candidate = {
  id: number;
  name: string;
  sex: string;
  birthDate: string;
  streetCode: string | null;
  motherId: number | null;
  householdNo: string | null;
  /** The registered address, as written. */
  address?: string | null;
};

export type Probe = {
  name: string;
  sex: string | null;
  birthDate: string;
  streetCode: string | null;
  /** The record's mother, resolved to a person, when it names one. */
  motherId: number | null;
  /** The record's address, as written. */
  address?: string | null;
};

export const AUTO_LINK = 80;
export const REVIEW = 60;

export type Scored = { candidate: Candidate; score: number; reasons: string[] };

export type LinkDecision =
  | { kind: 'link'; personId: number; score: number; reasons: string[] }
  | { kind: 'review'; candidates: Scored[] }
  | { kind: 'none' };

/** Levenshtein distance of two short strings, by characters (code points). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

/** Names' sounds, memoised: a batch asks for the same few thousand names over and over. */
const sounds = new Map<string, readonly string[]>();
const SOUNDS_MAX = 100_000;

/** A name's toneless pinyin, one syllable per character, the first read as a surname. */
export function nameSound(name: string): readonly string[] {
  let s = sounds.get(name);
  if (!s) {
    // Separators are not sounds: 阿依·木拉提, 阿依•木拉提 and 阿依木拉提 read the same. Latin
    // letters compare without case.
    const bare = name.replace(/[\s·•・.．\-‧]/g, '').toLowerCase();
    s = pinyin(bare, { toneType: 'none', type: 'array', surname: 'head' }).filter((x) => x !== '');
    // Bounded: drop the oldest entry (a Map iterates in insertion order).
    if (sounds.size >= SOUNDS_MAX) sounds.delete(sounds.keys().next().value!);
    sounds.set(name, s);
  }
  return s;
}

/**
 * The toneless reading of a name's first syllable, read as the surname of that whole name
 * (张伟, 章伟 → zhang; 长孙明 → zhang, as the compound surname 长孙, where 长 alone is chang): the
 * key under which the pipeline looks up candidates, so that a surname typed as a homophone is
 * found.
 */
export function surnameSound(name: string): string {
  return nameSound(name)[0] ?? [...name][0] ?? '';
}

/**
 * Every reading a surname character can have at the head of a name (长 → chang, zhang; 单 →
 * dan, shan, chan): the registry's surname characters are grouped under each, so that a name
 * read either way finds them.
 */
export function surnameReadings(ch: string): string[] {
  const all = pinyin(ch, { toneType: 'none', type: 'array', multiple: true }).filter((x) => x !== '');
  const head = surnameSound(ch);
  return all.includes(head) ? all : [head, ...all];
}

function sameSound(a: string, b: string): boolean {
  const x = nameSound(a);
  const y = nameSound(b);
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

/** An address for comparison: NFKC (full-width digits and letters), no spaces or punctuation, no 云南省/昆明市 prefix. */
export function addressKey(address: string): string {
  return address
    .normalize('NFKC')
    .replace(/[\s\p{P}]/gu, '')
    .replace(/^(云南省)?(昆明市)?/, '');
}

function sameAddress(a: string, b: string): boolean {
  const x = addressKey(a);
  return x.length > 0 && x === addressKey(b);
}

export const NAME_EXACT = 60;
export const NAME_SOUND = 35;
export const NAME_SIMILAR = 30;

export function scoreCandidate(p: Probe, c: Candidate): Scored | null {
  if (c.birthDate !== p.birthDate) return null;
  const reasons: string[] = ['birthDate'];
  let score = 0;
  if (c.name === p.name) {
    score += NAME_EXACT;
    reasons.push('name.exact');
  } else if (sameSound(p.name, c.name)) {
    score += NAME_SOUND;
    reasons.push('name.sound');
  } else {
    // The same surname character and the given name one character off. (A surname that only
    // sounds the same with an identical given name is name.sound above; with a given name off
    // as well, two characters differ: not the same name.)
    const [ps, ...pg] = [...p.name];
    const [cs, ...cg] = [...c.name];
    if (ps !== cs || editDistance(pg.join(''), cg.join('')) > 1) return null;
    score += NAME_SIMILAR;
    reasons.push('name.similar');
  }
  if (p.sex && c.sex) {
    if (p.sex !== c.sex) return null;
    score += 10;
    reasons.push('sex');
  }
  if (p.motherId !== null && c.motherId !== null) {
    if (p.motherId !== c.motherId) return null;
    score += 15;
    reasons.push('mother');
  }
  // Where they live: the same street, or, only where a side has no street code, the same address
  // (written the same once spaces, punctuation, full-width forms and the province and city
  // prefix are set aside; short addresses recur across districts, so two different street codes
  // are not overruled by the text). Either counts once: the street is read from the address.
  if (p.streetCode && c.streetCode === p.streetCode) {
    score += 15;
    reasons.push('street');
  } else if (
    (!p.streetCode || !c.streetCode) &&
    p.address &&
    c.address &&
    sameAddress(p.address, c.address)
  ) {
    score += 15;
    reasons.push('address');
  }
  return { candidate: c, score, reasons };
}

/**
 * Decides a probe's link among candidates (already filtered to the same birth date), given
 * the staff's remembered decisions for this record.
 */
export function decideLink(
  p: Probe,
  candidates: Candidate[],
  remembered: { same: Set<number>; different: Set<number> } = { same: new Set(), different: new Set() },
): LinkDecision {
  for (const c of candidates) {
    if (remembered.same.has(c.id))
      return { kind: 'link', personId: c.id, score: 100, reasons: ['review.same'] };
  }
  let scored = candidates
    .filter((c) => !remembered.different.has(c.id))
    .map((c) => scoreCandidate(p, c))
    .filter((s): s is Scored => s !== null);
  if (scored.length === 0) return { kind: 'none' };
  // An exact name among the candidates: the others are siblings (twins), not typos.
  if (scored.some((s) => s.reasons.includes('name.exact'))) {
    scored = scored.filter((s) => s.reasons.includes('name.exact'));
  } else if (hasTwins(candidates, p.birthDate)) {
    // Only sound-alike or similar names, and twins among the candidates: never guess between
    // twins (张一 and 张依 sound the same).
    return { kind: 'none' };
  }
  scored.sort((a, b) => b.score - a.score || a.candidate.id - b.candidate.id);
  const top = scored[0];
  const high = scored.filter((s) => s.score >= AUTO_LINK);
  if (high.length === 1)
    return { kind: 'link', personId: top.candidate.id, score: top.score, reasons: top.reasons };
  const reviewable = scored.filter((s) => s.score >= REVIEW).slice(0, 3);
  return reviewable.length ? { kind: 'review', candidates: reviewable } : { kind: 'none' };
}

/** Two or more candidates born the same day to the same mother (or in the same household). */
export function hasTwins(candidates: Candidate[], birthDate: string): boolean {
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.birthDate !== birthDate) continue;
    const keys = [c.motherId !== null ? `m${c.motherId}` : null, c.householdNo ? `h${c.householdNo}` : null];
    for (const k of keys) {
      if (!k) continue;
      if (seen.has(k)) return true;
      seen.add(k);
    }
  }
  return false;
}
