import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../web/src/i18n/languages.js';
import {
  CONTRACT_TYPES,
  FOLLOW_UP_STATES,
  NOT_HIRED_REASONS,
  OCCUPATION_FITS,
  OPPORTUNITY_TYPES,
  PAY_PERIODS,
  PLACEMENT_STATUSES,
  REASON_CODES,
} from '../../web/src/screens/coach/opportunityVocabulary.js';
import { OPPORTUNITY_STATUSES, PIPELINE_STAGES } from '../../web/src/screens/coach/coachApi.js';

const LOCALES = join(import.meta.dirname, '../../web/src/i18n/locales');
type Tree = { [key: string]: string | Tree };
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);

// The matching contract's vocabularies as the job coach reads them: every rule that keeps a pair apart,
// every placement status, stage and follow-up state, in every language (the lists are exhaustive over the
// contract's enums, so a new term fails the type check first and this test next).
const NEEDS: [string, readonly string[]][] = [
  ['coach.reason', REASON_CODES],
  ['coach.placementStatus', PLACEMENT_STATUSES],
  ['coach.stage', [...PIPELINE_STAGES, 'ended']],
  ['coach.followUpState', FOLLOW_UP_STATES],
  ['coach.opportunityStatus', OPPORTUNITY_STATUSES],
  ['coach.opportunityType', OPPORTUNITY_TYPES],
  ['coach.contractType', CONTRACT_TYPES],
  ['coach.payPer', PAY_PERIODS],
  ['coach.notHired', NOT_HIRED_REASONS],
  ['coach.fit', OCCUPATION_FITS],
  ['coach.effect', ['excludes', 'lowers', 'informs']],
  ['coach.matchLabel', ['strong', 'partial', 'weak']],
];

describe("the job coach's vocabulary", () => {
  it.each(LANGUAGES.map((l) => l.code))(
    '%s translates every term of the matching contract the screens show',
    (code) => {
      const tree = JSON.parse(readFileSync(join(LOCALES, `${code}.json`), 'utf8')) as Tree;
      const keys = [
        ...NEEDS.flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)),
        // The navigation's labels (web/src/screens/coach/navigation.tsx).
        'coach.nav.opportunities',
        'coach.nav.candidates',
        'coach.nav.pipeline',
      ];
      const missing = keys.filter((key) => typeof lookup(tree, key) !== 'string');
      expect(missing).toEqual([]);
    },
  );

  it('the Arabic and Farsi catalogues are written in their own script, not copied from English', () => {
    for (const code of ['ar', 'fa']) {
      const tree = JSON.parse(readFileSync(join(LOCALES, `${code}.json`), 'utf8')) as Tree;
      const reasons = Object.values(lookup(tree, 'coach.reason') as Record<string, string>);
      expect(reasons.every((text) => /[\u0600-\u06ff]/.test(text))).toBe(true);
    }
  });
});
