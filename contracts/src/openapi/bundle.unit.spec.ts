import { describe, expect, it } from 'vitest';
import { bundleOpenApi, loadOpenApi, type ServiceName } from './bundle.js';

const services: ServiceName[] = ['registry', 'referrals', 'matching', 'insights'];

describe('OpenAPI documents', () => {
  it.each(services)('%s bundles into one self-contained OpenAPI 3.1 document', (service) => {
    const doc = loadOpenApi(service) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, { type: string }>; schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
    expect(doc.components.securitySchemes.oauth2?.type).toBe('oauth2');
    expect(doc.components.securitySchemes.bearer?.type).toBe('http');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'FieldError', 'Readiness']));
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^"\$ref":"#\/components\//);
  });

  it('refuses a local component that shadows a different shared one', () => {
    const doc = {
      openapi: '3.1.0',
      paths: {},
      components: { schemas: { Problem: { type: 'string' }, X: { $ref: 'common.json#/components/schemas/Problem' } } },
    };
    expect(() => bundleOpenApi(doc)).toThrow(/defined both locally and in common.json/);
  });
});
