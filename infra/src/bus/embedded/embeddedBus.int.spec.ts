import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { busContract } from '../../testing/busContract.js';

const dir = mkdtempSync(join(tmpdir(), 'estia-embedded-bus-'));

busContract({
  name: 'embedded (SQLite)',
  skipReason: null,
  config: () => ({ kind: 'embedded', path: join(dir, `bus-${randomUUID()}.sqlite`), batchSize: 20 }),
});
