import { nameTokens, skeleton } from './nameNormalisation.js';

/** What duplicate detection compares. The application builds these from its (decrypted) client index. */
export interface PersonKey {
  givenNames: string;
  familyName: string;
  otherNames?: readonly string[];
  dateOfBirth: string;
  nationalities: readonly string[];
}

export interface DuplicateCandidate {
  clientId: string;
  /** 0..1; 1 = same normalised name, date of birth and a shared nationality. */
  score: number;
  /** Short codes an officer can read next to the candidate. */
  reasons: string[];
}

const WEIGHTS = { name: 0.6, dateOfBirth: 0.3, nationality: 0.1 };

/**
 * Likely duplicates of `subject` among `known`, best first. Pure: the caller supplies the index.
 * Recall over precision: the officer links or confirms a new client; nothing is merged automatically.
 */
export function findLikelyDuplicates(
  subject: PersonKey,
  known: Iterable<PersonKey & { clientId: string }>,
  options: { threshold?: number; limit?: number } = {},
): DuplicateCandidate[] {
  const threshold = options.threshold ?? 0.75;
  const subjectTokens = nameTokens(`${subject.givenNames} ${subject.familyName}`);
  const out: DuplicateCandidate[] = [];
  for (const other of known) {
    const names = [`${other.givenNames} ${other.familyName}`, ...(other.otherNames ?? [])].map(nameTokens);
    const name = Math.max(...names.map((tokens) => nameSimilarity(subjectTokens, tokens)));
    const dob = dateOfBirthSimilarity(subject.dateOfBirth, other.dateOfBirth);
    const nat = nationalitySimilarity(subject.nationalities, other.nationalities);
    const score = round(WEIGHTS.name * name + WEIGHTS.dateOfBirth * dob.score + WEIGHTS.nationality * nat);
    if (score < threshold) continue;
    const reasons = [name === 1 ? 'same_name' : `similar_name_${Math.round(name * 100)}`, dob.reason];
    if (nat === 1) reasons.push('shared_nationality');
    out.push({ clientId: other.clientId, score, reasons });
  }
  return out.sort((a, b) => b.score - a.score || a.clientId.localeCompare(b.clientId)).slice(0, options.limit ?? 10);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Token-set similarity, order ignored; missing tokens (a middle name) cost less than wrong ones. */
export function nameSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const best = (from: readonly string[], to: readonly string[]): number =>
    from.reduce((sum, t) => sum + Math.max(...to.map((u) => tokenSimilarity(t, u))), 0);
  return round((best(a, b) + best(b, a)) / (a.length + b.length));
}

export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const sa = skeleton(a);
  // Same consonants (vowels are what transliterations disagree on most), but not for tiny skeletons.
  if (sa.length >= 2 && sa === skeleton(b)) return 0.92;
  // Below 0.8 Jaro-Winkler mostly measures shared letters of unrelated names: count it as no match.
  const jw = jaroWinkler(a, b);
  return jw >= 0.8 ? round(jw) : 0;
}

function dateOfBirthSimilarity(a: string, b: string): { score: number; reason: string } {
  if (a === b) return { score: 1, reason: 'same_date_of_birth' };
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  if (ya === yb && ma === db && da === mb) return { score: 0.8, reason: 'day_month_swapped' };
  // 1 January is what many registrations record when only the year is known.
  if (ya === yb && ((ma === '01' && da === '01') || (mb === '01' && db === '01')))
    return { score: 0.7, reason: 'same_year_placeholder_date' };
  if (ma === mb && da === db && Math.abs(Number(ya) - Number(yb)) === 1)
    return { score: 0.6, reason: 'year_off_by_one' };
  if (ya === yb && ma === mb) return { score: 0.5, reason: 'same_year_and_month' };
  if (ya === yb) return { score: 0.3, reason: 'same_year_of_birth' };
  return { score: 0, reason: 'different_date_of_birth' };
}

function nationalitySimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0.5;
  return a.some((n) => b.includes(n)) ? 1 : 0;
}

export function jaroWinkler(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
