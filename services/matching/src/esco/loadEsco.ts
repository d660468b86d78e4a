import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { EscoCatalogue } from './catalogue.js';
import { ESCO_DATASET_FORMAT, type EscoDataset } from './dataset.js';

export const DEFAULT_ESCO_PATH = fileURLToPath(new URL('../../data/esco/esco-1.1.1.json.gz', import.meta.url));

/** Reads the committed ESCO dataset (synchronously: it is needed before the service can answer anything). */
export function loadEsco(path: string = DEFAULT_ESCO_PATH): EscoCatalogue {
  const dataset = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as EscoDataset;
  if (dataset.format !== ESCO_DATASET_FORMAT)
    throw new Error(`ESCO dataset ${path} has format ${String(dataset.format)}, expected ${ESCO_DATASET_FORMAT}`);
  return new EscoCatalogue(dataset);
}

let shared: EscoCatalogue | undefined;

/** One catalogue per process: the dataset is immutable reference data. */
export const sharedEsco = (): EscoCatalogue => (shared ??= loadEsco());
