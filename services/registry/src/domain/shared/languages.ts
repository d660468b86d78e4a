/**
 * Language codes a service may declare: every ISO 639-1 code, plus the ISO 639-3 codes of languages
 * spoken by people arriving in Greece that have no 639-1 code (Dari, Kurmanji, Sorani, Levantine
 * Arabic …). Shipped as data so validation is pure and reviewable.
 */
const ISO_639_1 =
  'aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo ' +
  'es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka ' +
  'kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng ' +
  'nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su ' +
  'sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu';

const ISO_639_3 = {
  prs: 'Dari',
  haz: 'Hazaragi',
  pbt: 'Southern Pashto',
  pes: 'Iranian Persian',
  kmr: 'Northern Kurdish (Kurmanji)',
  ckb: 'Central Kurdish (Sorani)',
  sdh: 'Southern Kurdish',
  apc: 'Levantine Arabic',
  arz: 'Egyptian Arabic',
  ary: 'Moroccan Arabic',
  acm: 'Mesopotamian Arabic',
  apd: 'Sudanese Arabic',
  syr: 'Syriac',
  tig: 'Tigre',
  bej: 'Beja',
  rom: 'Romani',
  pcm: 'Nigerian Pidgin',
  fuf: 'Pular',
  snk: 'Soninke',
  gsg: 'German Sign Language',
  gss: 'Greek Sign Language',
  bfi: 'British Sign Language',
  ase: 'American Sign Language',
} as const;

export const LANGUAGE_CODES: ReadonlySet<string> = new Set([...ISO_639_1.split(' '), ...Object.keys(ISO_639_3)]);

export const isLanguageCode = (value: unknown): value is string =>
  typeof value === 'string' && LANGUAGE_CODES.has(value);
