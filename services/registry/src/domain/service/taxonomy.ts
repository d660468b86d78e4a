/**
 * The network's service taxonomy, as data: each term names its parent, so a search for "housing"
 * also finds "emergency_shelter". Ids are stable (they are stored in events); names may be edited.
 */
export interface TaxonomyTerm {
  id: string;
  parentId: string | null;
  name: string;
  description: string;
}

export const TAXONOMY_ID = 'estia-services';
export const TAXONOMY_NAME = 'ESTIA service categories';

const t = (id: string, parentId: string | null, name: string, description: string): TaxonomyTerm => ({
  id,
  parentId,
  name,
  description,
});

export const TAXONOMY: readonly TaxonomyTerm[] = [
  t('housing', null, 'Housing', 'Accommodation and help finding a place to live'),
  t('emergency_shelter', 'housing', 'Emergency shelter', 'Immediate overnight or short-term shelter'),
  t('temporary_accommodation', 'housing', 'Temporary accommodation', 'Apartments or hosting for months, not nights'),
  t('housing_search', 'housing', 'Housing search support', 'Help renting on the private market'),
  t('legal', null, 'Legal aid', 'Information, advice and representation'),
  t('asylum_procedure', 'legal', 'Asylum procedure support', 'Preparation for interviews, appeals'),
  t('family_reunification', 'legal', 'Family reunification', 'Applications and documents for family reunification'),
  t('legal_representation', 'legal', 'Legal representation', 'A lawyer acting for the client'),
  t('psychosocial', null, 'Psychosocial support', 'Support for wellbeing and recovery'),
  t('trauma_support', 'psychosocial', 'Trauma support', 'Specialised support for survivors of violence and torture'),
  t('peer_support', 'psychosocial', 'Peer support groups', 'Groups led by people with lived experience'),
  t('counselling', null, 'Counselling', 'Social and family counselling'),
  t('social_counselling', 'counselling', 'Social counselling', 'Guidance through social services and rights'),
  t('family_counselling', 'counselling', 'Family counselling', 'Support for families and couples'),
  t('medical', null, 'Medical care', 'Health services'),
  t('primary_care', 'medical', 'Primary care', 'General practitioners and clinics'),
  t('mental_health', 'medical', 'Mental health care', 'Psychiatric and psychological treatment'),
  t('reproductive_health', 'medical', 'Sexual and reproductive health', 'Maternal care, family planning'),
  t('language', null, 'Language', 'Language learning and interpretation'),
  t('language_courses', 'language', 'Language courses', 'Courses in the host-country language'),
  t('interpretation', 'language', 'Interpretation', 'Interpreters and cultural mediators'),
  t('employment', null, 'Employment', 'Finding and keeping work'),
  t('job_placement', 'employment', 'Job placement', 'Matching with employers'),
  t('job_readiness', 'employment', 'Job readiness', 'CVs, interviews, workplace orientation'),
  t('vocational_guidance', 'employment', 'Vocational guidance', 'Career orientation and skills recognition'),
  t('education_training', null, 'Education and training', 'Learning for children and adults'),
  t('vocational_training', 'education_training', 'Vocational training', 'Training towards a trade or certificate'),
  t('adult_education', 'education_training', 'Adult education', 'Literacy, numeracy, second-chance schools'),
  t('school_enrolment', 'education_training', 'School enrolment', 'Getting children into school'),
  t('mentoring', null, 'Mentoring', 'One-to-one mentoring and buddy programmes'),
  t('administrative', null, 'Administrative help', 'Documents and registrations'),
  t('civil_documents', 'administrative', 'Civil documents', 'Residence permits, civil registry'),
  t('tax_social_security', 'administrative', 'Tax and social security numbers', 'AFM, AMKA and similar registrations'),
  t('banking', 'administrative', 'Bank account opening', 'Help opening a bank account'),
  t('basic_needs', null, 'Basic needs', 'Food, clothing, hygiene and cash'),
  t('food', 'basic_needs', 'Food', 'Meals, food parcels, vouchers'),
  t('clothing_hygiene', 'basic_needs', 'Clothing and hygiene', 'Clothes, hygiene kits, laundry'),
  t('cash_assistance', 'basic_needs', 'Cash assistance', 'Cash or card-based assistance'),
  t('childcare', null, 'Childcare', 'Care for young children so parents can work or study'),
];

const byId = new Map(TAXONOMY.map((term) => [term.id, term]));

export const taxonomyTerm = (id: string): TaxonomyTerm | undefined => byId.get(id);

export const isTaxonomyTerm = (id: unknown): id is string => typeof id === 'string' && byId.has(id);

/** The term and all its ancestors, from the term up to the root. */
export const withAncestors = (id: string): string[] => {
  const chain: string[] = [];
  for (let term = byId.get(id); term; term = term.parentId ? byId.get(term.parentId) : undefined) chain.push(term.id);
  return chain;
};

/** The term and every term below it. */
export const withDescendants = (id: string): string[] => {
  if (!byId.has(id)) return [];
  const result = [id];
  for (let i = 0; i < result.length; i++) {
    for (const term of TAXONOMY) if (term.parentId === result[i]) result.push(term.id);
  }
  return result;
};
