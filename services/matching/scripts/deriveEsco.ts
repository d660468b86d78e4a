/**
 * Derives the compact ESCO dataset shipped with the matching service from the official CSV download.
 * Users never see the source archives, so the product carries only what matching needs:
 * labels, ISCO-08 groups, skill types and occupation–skill relations.
 *
 *   pnpm esco:derive [sourceDir]   (default: $ESCO_SOURCE or ../shared/standards/esco-1.1.1)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseCsv } from './csv.js';
import {
  ESCO_DATASET_FORMAT,
  OCCUPATION_URI_PREFIX,
  SKILL_URI_PREFIX,
  type EscoDataset,
  type IscoRow,
  type OccupationRow,
  type SkillRow,
} from '../src/esco/dataset.js';

const here = dirname(fileURLToPath(import.meta.url));
const serviceDir = resolve(here, '..');
const sourceDir = resolve(
  process.argv[2] ?? process.env.ESCO_SOURCE ?? resolve(serviceDir, '../../../shared/standards/esco-1.1.1'),
);
const outDir = join(serviceDir, 'data/esco');

// Counts published with the source (SOURCE.md); a mismatch means a wrong or damaged download.
const EXPECTED = { occupations: 3007, skills: 13896, isco: 619, relations: 123855, essential: 64946, optional: 58909 };

const readCsv = (zip: string, entry: string) =>
  parseCsv(
    execFileSync('unzip', ['-p', join(sourceDir, zip), entry], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8'),
  );

const idOf = (uri: string, prefix: string): string => {
  if (!uri.startsWith(prefix)) throw new Error(`unexpected URI ${uri} (expected prefix ${prefix})`);
  return uri.slice(prefix.length);
};

const altLabels = (field: string, preferred: string): string[] => {
  const seen = new Set([preferred.toLowerCase()]);
  const out: string[] = [];
  for (const raw of field.split('\n')) {
    const label = raw.replace(/\s+/g, ' ').trim();
    if (label === '' || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    out.push(label);
  }
  return out;
};

const isco: IscoRow[] = readCsv('esco-classification-en.zip', 'ISCOGroups_en.csv')
  .map((r): IscoRow => [r.code ?? '', (r.preferredLabel ?? '').trim()])
  .sort((a, b) => a[0].localeCompare(b[0]));

const occupations: OccupationRow[] = readCsv('esco-classification-en.zip', 'occupations_en.csv')
  .map((r): OccupationRow => {
    const preferred = (r.preferredLabel ?? '').trim();
    return [
      idOf(r.conceptUri ?? '', OCCUPATION_URI_PREFIX),
      r.iscoGroup ?? '',
      preferred,
      altLabels(r.altLabels ?? '', preferred),
    ];
  })
  .sort((a, b) => a[0].localeCompare(b[0]));

const skills: SkillRow[] = readCsv('esco-classification-en.zip', 'skills_en.csv')
  .map((r): SkillRow => {
    const preferred = (r.preferredLabel ?? '').trim();
    // A handful of concepts carry no skillType; ESCO treats them as skills/competences.
    const type = r.skillType === 'knowledge' ? 'K' : 'S';
    return [idOf(r.conceptUri ?? '', SKILL_URI_PREFIX), type, preferred, altLabels(r.altLabels ?? '', preferred)];
  })
  .sort((a, b) => a[0].localeCompare(b[0]));

const occIndex = new Map(occupations.map((o, i) => [o[0], i]));
const skillIndex = new Map(skills.map((s, i) => [s[0], i]));
const iscoCodes = new Set(isco.map((g) => g[0]));
const essential: number[][] = occupations.map(() => []);
const optional: number[][] = occupations.map(() => []);
let relations = 0;
let rawEssential = 0;
let rawOptional = 0;
// The relations file names one occupation (a9e54177-…, 67 relations) that the occupation list of 1.1.1 does
// not release; its relations cannot be shown or matched, so they are counted against the source and dropped.
const orphanOccupations = new Map<string, number>();
for (const r of readCsv('esco-relations-en.zip', 'occupationSkillRelations.csv')) {
  relations++;
  if (r.relationType === 'essential') rawEssential++;
  else if (r.relationType === 'optional') rawOptional++;
  else throw new Error(`unknown relation type ${r.relationType}`);
  const occupationId = idOf(r.occupationUri ?? '', OCCUPATION_URI_PREFIX);
  const o = occIndex.get(occupationId);
  const s = skillIndex.get(idOf(r.skillUri ?? '', SKILL_URI_PREFIX));
  if (s === undefined) throw new Error(`relation to unknown skill: ${JSON.stringify(r)}`);
  if (o === undefined) {
    orphanOccupations.set(occupationId, (orphanOccupations.get(occupationId) ?? 0) + 1);
    continue;
  }
  (r.relationType === 'essential' ? essential : optional)[o]!.push(s);
}
for (const list of [...essential, ...optional]) list.sort((a, b) => a - b);

const actual = {
  occupations: occupations.length,
  skills: skills.length,
  isco: isco.length,
  relations,
  essential: rawEssential,
  optional: rawOptional,
};
for (const [key, expected] of Object.entries(EXPECTED)) {
  const got = actual[key as keyof typeof actual];
  if (got !== expected) throw new Error(`ESCO ${key}: expected ${expected}, derived ${got}`);
}
for (const o of occupations)
  if (!iscoCodes.has(o[1])) throw new Error(`occupation ${o[0]} points at unknown ISCO group ${o[1]}`);
for (const [code] of isco)
  if (code.length > 1 && !iscoCodes.has(code.slice(0, -1))) throw new Error(`ISCO group ${code} has no parent`);

const dataset: EscoDataset = {
  format: ESCO_DATASET_FORMAT,
  version: '1.1.1',
  source: 'ESCO v1.1.1 (English), European Commission, https://esco.ec.europa.eu',
  isco,
  occupations,
  skills,
  essential,
  optional,
};
mkdirSync(outDir, { recursive: true });
const json = Buffer.from(JSON.stringify(dataset));
const gz = gzipSync(json, { level: 9 });
writeFileSync(join(outDir, 'esco-1.1.1.json.gz'), gz);
console.log(`ESCO 1.1.1 derived from ${sourceDir}`);
console.log(JSON.stringify(actual));
const kept = [...essential, ...optional].reduce((n, l) => n + l.length, 0);
console.log(
  `relations kept: ${kept}; dropped (occupation not released): ${JSON.stringify(Object.fromEntries(orphanOccupations))}`,
);
console.log(
  `wrote data/esco/esco-1.1.1.json.gz: ${(gz.length / 1e6).toFixed(2)} MB (${(json.length / 1e6).toFixed(2)} MB raw)`,
);
