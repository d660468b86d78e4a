// Name normalisation for duplicate detection. Deliberately small and explicit: the goal is recall
// (show the officer likely candidates), the officer decides.

const GREEK_DIGRAPHS: [string, string][] = [
  ['ου', 'ou'],
  ['αι', 'e'],
  ['ει', 'i'],
  ['οι', 'i'],
  ['μπ', 'b'],
  ['ντ', 'd'],
  ['γκ', 'g'],
  ['γγ', 'ng'],
  ['τσ', 'ts'],
  ['τζ', 'tz'],
];
const GREEK: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
// Arabic script writes no short vowels; the consonant skeleton (below) is what makes it comparable.
const ARABIC: Record<string, string> = {
  ا: 'a',
  أ: 'a',
  إ: 'i',
  آ: 'a',
  ٱ: 'a',
  ب: 'b',
  ت: 't',
  ث: 'th',
  ج: 'j',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'dh',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'q',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  ة: 'a',
  و: 'w',
  ي: 'y',
  ى: 'a',
  ء: '',
  ؤ: '',
  ئ: '',
  پ: 'p',
  چ: 'ch',
  ژ: 'zh',
  گ: 'g',
  ک: 'k',
  ی: 'y',
};

/** Frequent spelling variants folded to one form (Latin, after transliteration). */
const VARIANTS: Record<string, string> = {};
const variantGroups: [string, string[]][] = [
  [
    'muhammad',
    [
      'mohammed',
      'mohammad',
      'mohamed',
      'mohamad',
      'muhammed',
      'muhamed',
      'mohammet',
      'mehmet',
      'mehmed',
      'mhmd',
      'muhamad',
    ],
  ],
  ['ahmad', ['ahmed', 'ahmet']],
  ['husayn', ['hussein', 'hussain', 'husain', 'husein', 'hossein', 'hosein', 'huseyin']],
  ['hasan', ['hassan']],
  ['yusuf', ['youssef', 'yousef', 'yousif', 'yusef', 'yousuf', 'joseph', 'josef']],
  ['abd', ['abdel', 'abdul', 'abdol', 'abdal']],
  ['ali', ['aly']],
  ['mustafa', ['mostafa', 'moustafa', 'mustapha']],
  ['fatima', ['fatma', 'fatemeh', 'fatimah']],
  ['aisha', ['aysha', 'aicha', 'ayesha', 'aishah']],
  ['ibrahim', ['ebrahim', 'ibraheem']],
  ['omar', ['umar', 'omer']],
  ['khalid', ['khaled', 'halid']],
];
for (const [canonical, variants] of variantGroups) for (const v of variants) VARIANTS[v] = canonical;

const transliterate = (text: string): string => {
  // Greek accents (τόνος, διαλυτικά) go first so that the letter tables stay small; the Arabic article
  // is written joined to the name (الحسن) where Latin spellings separate it (al-Hassan).
  let out = text
    .normalize('NFD')
    .replace(/([\u0370-\u03ff])\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/(^|\s)ال/gu, '$1');
  for (const [from, to] of GREEK_DIGRAPHS) out = out.replaceAll(from, to);
  let result = '';
  for (const ch of out) result += GREEK[ch] ?? CYRILLIC[ch] ?? ARABIC[ch] ?? ch;
  return result;
};

/**
 * Name → sorted list of folded Latin tokens: lowercase, Greek/Cyrillic/Arabic transliterated,
 * diacritics stripped, variants folded, particles (al, el, bin, ibn …) dropped, order ignored.
 */
export const nameTokens = (name: string): string[] => {
  const latin = transliterate(name.toLowerCase().normalize('NFC'))
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z\s'-]/g, ' ');
  return latin
    .split(/[\s'-]+/)
    .filter((t) => t.length > 0 && !PARTICLES.has(t))
    .map((t) => VARIANTS[t] ?? t)
    .sort();
};

const PARTICLES = new Set(['al', 'el', 'ul', 'bin', 'ibn', 'ben', 'bint', 'abu', 'de', 'van', 'von', 'der']);

/**
 * Consonant skeleton: vowels and w/y dropped, doubled letters collapsed, common digraphs folded.
 * Makes "mhmd" (from Arabic script) and "muhammad" comparable.
 */
export const skeleton = (token: string): string =>
  token
    .replace(/ph/g, 'f')
    .replace(/kh/g, 'h')
    .replace(/ch/g, 'h')
    .replace(/q/g, 'k')
    .replace(/[aeiouyw]/g, '')
    .replace(/(.)\1+/g, '$1');
