import { describe, expect, it } from 'vitest';
import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { codeOfConductDecider, type CodeOfConductEvent } from './codeOfConduct.js';

const spec = DeciderSpecification.for(codeOfConductDecider);
const now = '2025-01-01T00:00:00.000Z';
const admin = { principalId: 'admin-1', roles: ['network_admin' as const] };
const sha = (c: string): string => c.repeat(64);
const v1: CodeOfConductEvent = {
  type: 'CodeOfConductPublished',
  data: {
    version: 1,
    title: 'Code',
    text: 'Be kind.',
    textSha256: sha('a'),
    publishedAt: now,
    publishedBy: 'admin-1',
    gracePeriodDays: 30,
    acceptanceDueAt: '2025-01-31T00:00:00.000Z',
  },
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
  it('the network admin sets the grace period of a version: members have that long to accept it', () =>
    spec
      .given([v1])
      .when({ ...publish, text: 'Be kinder.', textSha256: sha('b'), gracePeriodDays: 7 })
      .then([
        {
          type: 'CodeOfConductPublished',
          data: {
            ...v1.data,
            version: 2,
            text: 'Be kinder.',
            textSha256: sha('b'),
            gracePeriodDays: 7,
            acceptanceDueAt: '2025-01-08T00:00:00.000Z',
          },
        },
      ]));
  it('a grace period of 0 stops exchange at once; more than a year or a fraction of a day is refused', () => {
    spec
      .given([v1])
      .when({ ...publish, text: 'Now.', textSha256: sha('c'), gracePeriodDays: 0 })
      .thenEvents(([event]) => expect(event!.data.acceptanceDueAt).toBe(now));
    for (const gracePeriodDays of [366, -1, 1.5])
      spec
        .given([v1])
        .when({ ...publish, text: 'Later.', textSha256: sha('d'), gracePeriodDays })
        .thenThrows('VALIDATION_FAILED', /gracePeriodDays/);
  });
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
