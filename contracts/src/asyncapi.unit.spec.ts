import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './generated/eventCatalogue.js';
import { contractsRoot, eventsDir } from './schemas/schemaFiles.js';

interface Message {
  name: string;
  payload: { schemaFormat: string; schema: { allOf: [{ $ref: string }, { properties: { data: { $ref: string } } }] } };
}
const doc = JSON.parse(readFileSync(join(contractsRoot, 'asyncapi.json'), 'utf8')) as {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, Message> };
};

describe('AsyncAPI document', () => {
  it('is AsyncAPI 3 with one channel per publishing service', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual([
      'estia.registry',
      'estia.referrals',
      'estia.matching',
    ]);
  });

  it('lists every public event type exactly once, on its service channel', () => {
    const listed = Object.entries(doc.channels).flatMap(([service, c]) =>
      Object.values(c.messages).map((m) => {
        const message = doc.components.messages[m.$ref.replace('#/components/messages/', '')]!;
        expect(message.name.split('.')[1]).toBe(service);
        return message.name;
      }),
    );
    expect([...listed].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('every message resolves to existing schema files whose $id matches the reference', () => {
    for (const message of Object.values(doc.components.messages)) {
      const [envelope, rest] = message.payload.schema.allOf;
      for (const ref of [envelope.$ref, rest.properties.data.$ref]) {
        const file = join(contractsRoot, ref);
        expect(existsSync(file), ref).toBe(true);
        const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string };
        expect(schema.$id).toBe(`https://estia.network/schemas/events/${ref.replace('./events/', '')}`);
      }
      expect(rest.properties.data.$ref.replace('./events/', '')).toBe(
        message.name.replace(/^estia\.([a-z]+)\.(.+)$/, '$1/$2.schema.json'),
      );
    }
    expect(existsSync(eventsDir)).toBe(true);
  });
});
