import { TAXONOMY, TAXONOMY_ID, TAXONOMY_NAME, type TaxonomyTerm } from '../domain/service/taxonomy.js';
import { taxonomyTermUuid, uuidV5 } from './ids.js';

export const TAXONOMY_UUID = uuidV5(`taxonomy/${TAXONOMY_ID}`);
export const TAXONOMY_VERSION = '1';

export const toHsdsTaxonomy = (baseUrl: string) => ({
  id: TAXONOMY_UUID,
  name: TAXONOMY_NAME,
  description:
    'Categories of services offered in the ESTIA network (hierarchical: parent_id links a term to its broader term).',
  uri: `${baseUrl}/taxonomies/${TAXONOMY_UUID}`,
  version: TAXONOMY_VERSION,
});

export const toHsdsTaxonomyTerm = (term: TaxonomyTerm, baseUrl: string) => ({
  id: taxonomyTermUuid(term.id),
  code: term.id,
  name: term.name,
  description: term.description,
  ...(term.parentId ? { parent_id: taxonomyTermUuid(term.parentId) } : {}),
  taxonomy: TAXONOMY_NAME,
  taxonomy_id: TAXONOMY_UUID,
  taxonomy_detail: toHsdsTaxonomy(baseUrl),
  language: 'en',
  term_uri: `${baseUrl}/taxonomy_terms/${taxonomyTermUuid(term.id)}`,
});

export const hsdsTaxonomyTerms = (baseUrl: string) => TAXONOMY.map((term) => toHsdsTaxonomyTerm(term, baseUrl));

/** Accepts the HSDS uuid or our code ("housing"), so partners can use either. */
export const findTaxonomyTerm = (idOrCode: string): TaxonomyTerm | undefined =>
  TAXONOMY.find((term) => term.id === idOrCode || taxonomyTermUuid(term.id) === idOrCode);
