import type { EscoCatalogue } from './catalogue.js';
import { allowedTypos, prefixEditDistance, tokenize } from './normalise.js';

export type ConceptKind = 'occupation' | 'skill';

export interface Suggestion {
  kind: ConceptKind;
  id: string;
  preferredLabel: string;
  /** The label the query matched (an alternative label when it matched one). */
  matchedLabel: string;
  score: number;
  /** ISCO-08 code for occupations, skill/knowledge for skills. */
  detail: string;
}

export interface SuggestOptions {
  kinds?: readonly ConceptKind[];
  limit?: number;
}

// Match qualities of a query token against a label token: a whole word beats a completion beats a typo.
const EXACT = 1;
const PREFIX = 0.9;
const TYPO = [1, 0.72, 0.55] as const;
const ALT_LABEL_FACTOR = 0.88;

/**
 * Autocomplete over every English label of ESCO occupations and skills.
 * Per-token inverted index on a SORTED vocabulary: a prefix is a binary-searched range; typos come from a
 * trigram index over the vocabulary, verified by a bounded prefix edit distance. All query tokens must
 * match (AND), rarest first, so the candidate set shrinks fast. Preferred labels rank above alt labels.
 */
export class EscoAutocomplete {
  private readonly vocab: string[];
  private readonly postingStart: Int32Array;
  private readonly postings: Int32Array;
  private readonly trigramPostings = new Map<string, Int32Array>();
  // Per label: concept (skill indices are offset by the occupation count), preferred flag, token count.
  private readonly labelConcept: Int32Array;
  private readonly labelPreferred: Uint8Array;
  private readonly labelTokens: Uint8Array;
  private readonly labelText: string[];
  private readonly occupationCount: number;
  private readonly conceptLabelLength: Uint16Array;
  // Preferred labels, folded and sorted, for completing the first one or two letters.
  private readonly preferredKeys: string[];
  private readonly preferredConcept: Int32Array;
  private readonly preferredLabelOf: Int32Array;
  // Scratch space reused across queries (single-threaded).
  private readonly matched: Uint8Array;
  private readonly scoreSum: Float32Array;
  private readonly roundBest: Float32Array;
  private readonly trigramHits: Uint16Array;

  constructor(private readonly esco: EscoCatalogue) {
    const { occupations, skills } = esco.dataset;
    this.occupationCount = occupations.length;
    this.conceptLabelLength = Uint16Array.from([...occupations, ...skills].map((row) => row[2].length));
    const labelConcept: number[] = [];
    const labelPreferred: number[] = [];
    const labelTokens: number[] = [];
    this.labelText = [];
    const tokenLabels = new Map<string, number[]>();
    const addLabel = (concept: number, text: string, preferred: boolean) => {
      const label = this.labelText.length;
      const tokens = [...new Set(tokenize(text))];
      if (tokens.length === 0) return;
      this.labelText.push(text);
      labelConcept.push(concept);
      labelPreferred.push(preferred ? 1 : 0);
      labelTokens.push(Math.min(tokens.length, 255));
      for (const t of tokens) {
        let list = tokenLabels.get(t);
        if (!list) tokenLabels.set(t, (list = []));
        list.push(label);
      }
    };
    occupations.forEach(([, , preferred, alt], i) => {
      addLabel(i, preferred, true);
      for (const a of alt) addLabel(i, a, false);
    });
    skills.forEach(([, , preferred, alt], i) => {
      addLabel(this.occupationCount + i, preferred, true);
      for (const a of alt) addLabel(this.occupationCount + i, a, false);
    });

    const preferred = labelPreferred.flatMap((p, label) => (p === 1 ? [label] : []));
    this.preferredLabelOf = new Int32Array(occupations.length + skills.length);
    for (const label of preferred) this.preferredLabelOf[labelConcept[label]!] = label;
    const keyed = preferred
      .map((label) => ({ key: tokenize(this.labelText[label]!).join(' '), concept: labelConcept[label]! }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.preferredKeys = keyed.map((k) => k.key);
    this.preferredConcept = Int32Array.from(keyed.map((k) => k.concept));

    this.vocab = [...tokenLabels.keys()].sort();
    this.postingStart = new Int32Array(this.vocab.length + 1);
    let total = 0;
    this.vocab.forEach((t, i) => {
      this.postingStart[i] = total;
      total += tokenLabels.get(t)!.length;
    });
    this.postingStart[this.vocab.length] = total;
    this.postings = new Int32Array(total);
    this.vocab.forEach((t, i) => this.postings.set(tokenLabels.get(t)!, this.postingStart[i]));

    const trigrams = new Map<string, number[]>();
    this.vocab.forEach((t, i) => {
      for (const g of trigramsOf(t)) {
        let list = trigrams.get(g);
        if (!list) trigrams.set(g, (list = []));
        if (list[list.length - 1] !== i) list.push(i);
      }
    });
    for (const [g, list] of trigrams) this.trigramPostings.set(g, Int32Array.from(list));

    this.labelConcept = Int32Array.from(labelConcept);
    this.labelPreferred = Uint8Array.from(labelPreferred);
    this.labelTokens = Uint8Array.from(labelTokens);
    this.matched = new Uint8Array(this.labelText.length);
    this.scoreSum = new Float32Array(this.labelText.length);
    this.roundBest = new Float32Array(this.labelText.length);
    this.trigramHits = new Uint16Array(this.vocab.length);
  }

  get labelCount(): number {
    return this.labelText.length;
  }

  suggest(query: string, options: SuggestOptions = {}): Suggestion[] {
    const limit = options.limit ?? 10;
    const kinds = new Set<ConceptKind>(options.kinds ?? ['occupation', 'skill']);
    const queryTokens = [...new Set(tokenize(query))].slice(0, 8);
    if (queryTokens.length === 0 || limit <= 0) return [];
    if (queryTokens.length === 1 && queryTokens[0]!.length <= 2)
      return this.suggestShort(queryTokens[0]!, kinds, limit);

    // Candidate vocabulary per query token, then rarest token first so the AND shrinks quickly.
    const rounds = queryTokens
      .map((q) => this.vocabularyMatches(q))
      .map((m) => ({
        m,
        size: [...m.keys()].reduce((n, v) => n + this.postingStart[v + 1]! - this.postingStart[v]!, 0),
      }))
      .sort((a, b) => a.size - b.size);

    const touched: number[] = [];
    for (let round = 0; round < rounds.length; round++) {
      const roundTouched: number[] = [];
      for (const [v, quality] of rounds[round]!.m) {
        for (let p = this.postingStart[v]!, end = this.postingStart[v + 1]!; p < end; p++) {
          const label = this.postings[p]!;
          if (this.matched[label] !== round) continue;
          if (this.roundBest[label] === 0) {
            roundTouched.push(label);
            if (round === 0) touched.push(label);
          }
          if (quality > this.roundBest[label]!) this.roundBest[label] = quality;
        }
      }
      for (const label of roundTouched) {
        this.matched[label] = round + 1;
        this.scoreSum[label]! += this.roundBest[label]!;
        this.roundBest[label] = 0;
      }
    }

    // Best label per concept; suggestions are built only for the top `limit` (short prefixes touch thousands).
    const best = new Map<number, { score: number; label: number }>();
    const n = rounds.length;
    for (const label of touched) {
      if (this.matched[label] === n) {
        const concept = this.labelConcept[label]!;
        const kind: ConceptKind = concept < this.occupationCount ? 'occupation' : 'skill';
        if (kinds.has(kind)) {
          const coverage = n / Math.max(n, this.labelTokens[label]!);
          let score = (this.scoreSum[label]! / n) * (0.6 + 0.4 * coverage);
          if (this.labelPreferred[label] === 0) score *= ALT_LABEL_FACTOR;
          const current = best.get(concept);
          if (!current || score > current.score) best.set(concept, { score, label });
        }
      }
      this.matched[label] = 0;
      this.scoreSum[label] = 0;
    }

    const ranked = [...best.entries()].sort(
      ([ca, a], [cb, b]) =>
        b.score - a.score || this.conceptLabelLength[ca]! - this.conceptLabelLength[cb]! || this.conceptOrder(ca, cb),
    );
    return ranked.slice(0, limit).map(([concept, { score, label }]) => this.toSuggestion(concept, score, label));
  }

  /**
   * One or two typed letters match thousands of labels; completing only preferred labels that START with
   * them keeps the first keystrokes as fast as the rest and gives the list a person expects.
   */
  private suggestShort(prefix: string, kinds: ReadonlySet<ConceptKind>, limit: number): Suggestion[] {
    const hits: { concept: number; score: number }[] = [];
    for (let i = lowerBound(this.preferredKeys, prefix); i < this.preferredKeys.length; i++) {
      if (!this.preferredKeys[i]!.startsWith(prefix)) break;
      const concept = this.preferredConcept[i]!;
      if (!kinds.has(concept < this.occupationCount ? 'occupation' : 'skill')) continue;
      const label = this.preferredLabelOf[concept]!;
      hits.push({ concept, score: PREFIX * (0.6 + 0.4 / this.labelTokens[label]!) });
    }
    hits.sort(
      (a, b) =>
        b.score - a.score ||
        this.conceptLabelLength[a.concept]! - this.conceptLabelLength[b.concept]! ||
        this.conceptOrder(a.concept, b.concept),
    );
    return hits.slice(0, limit).map((h) => this.toSuggestion(h.concept, h.score, this.preferredLabelOf[h.concept]!));
  }

  /** Vocabulary tokens a query token may stand for, with the quality of that reading. */
  private vocabularyMatches(q: string): Map<number, number> {
    const out = new Map<number, number>();
    for (let v = lowerBound(this.vocab, q); v < this.vocab.length && this.vocab[v]!.startsWith(q); v++)
      out.set(v, this.vocab[v]!.length === q.length ? EXACT : PREFIX);
    const maxTypos = allowedTypos(q.length);
    if (maxTypos === 0) return out;

    // Trigram fallback: a word within k edits of the query keeps most of its trigrams.
    const grams = trigramsOf(q, false);
    const need = Math.max(1, grams.length - 3 * maxTypos);
    const hit: number[] = [];
    for (const g of grams) {
      const list = this.trigramPostings.get(g);
      if (!list) continue;
      for (const v of list) {
        if (this.trigramHits[v] === 0) hit.push(v);
        this.trigramHits[v]!++;
      }
    }
    for (const v of hit) {
      if (this.trigramHits[v]! >= need && this.vocab[v]!.length >= q.length - maxTypos && !out.has(v)) {
        const d = prefixEditDistance(q, this.vocab[v]!, maxTypos);
        if (d <= maxTypos) out.set(v, TYPO[d]!);
      }
      this.trigramHits[v] = 0;
    }
    return out;
  }

  /** Ties: by short id, so equal scores always come out in the same order. */
  private conceptOrder(a: number, b: number): number {
    const ia = this.conceptId(a);
    const ib = this.conceptId(b);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }

  private conceptId(concept: number): string {
    const { occupations, skills } = this.esco.dataset;
    return concept < this.occupationCount ? occupations[concept]![0] : skills[concept - this.occupationCount]![0];
  }

  private toSuggestion(concept: number, score: number, label: number): Suggestion {
    const matchedLabel = this.labelText[label]!;
    if (concept < this.occupationCount) {
      const o = this.esco.occupationAt(concept);
      return {
        kind: 'occupation',
        id: o.id,
        preferredLabel: o.preferredLabel,
        matchedLabel,
        score: round4(score),
        detail: o.isco,
      };
    }
    const s = this.esco.skillAt(concept - this.occupationCount);
    return {
      kind: 'skill',
      id: s.id,
      preferredLabel: s.preferredLabel,
      matchedLabel,
      score: round4(score),
      detail: s.type,
    };
  }
}

/** Trigrams with a start marker; for queries the end marker is left off because the word may continue. */
function trigramsOf(token: string, withEnd = false): string[] {
  const padded = `^${token}${withEnd ? '$' : ''}`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
