import { describe, it } from 'vitest';
import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { codeOfConductDecider, type CodeOfConductEvent } from './codeOfConduct.js';

const spec = DeciderSpecification.for(codeOfConductDecider);
const now = '2025-01-01T00:00:00.000Z';
const admin = { principalId: 'admin-1', roles: ['network_admin' as const] };
const sha = (c: string): string => c.repeat(64);
const v1: CodeOfConductEvent = {
  type: 'CodeOfConductPublished',
  data: { version: 1, title: 'Code', text: 'Be kind.', textSha256: sha('a'), publishedAt: now, publishedBy: 'admin-1' },
};
const publish = {
  type: 'PublishCodeOfConduct',
  title: 'Code',
  text: 'Be kind.',
  textSha256: sha('a'),
  now,
  actor: admin,
} as const;

describe('code of conduct', () => {
  it('the first publication is version 1', () => spec.given([]).when(publish).then([v1]));
  it('a new text becomes the next version', () =>
    spec
      .given([v1])
      .when({ ...publish, text: 'Be kinder.', textSha256: sha('b') })
      .then([
        { type: 'CodeOfConductPublished', data: { ...v1.data, version: 2, text: 'Be kinder.', textSha256: sha('b') } },
      ]));
  it('the same text again publishes nothing', () => spec.given([v1]).when(publish).thenNothing());
  it('only network admins publish', () =>
    spec
      .given([])
      .when({ ...publish, actor: { principalId: 'x', organisationId: 'o', roles: ['org_admin'] } })
      .thenThrows('FORBIDDEN'));
  it('an empty text is refused', () =>
    spec
      .given([])
      .when({ ...publish, text: '' })
      .thenThrows('VALIDATION_FAILED', /\/body\/text/));
});
