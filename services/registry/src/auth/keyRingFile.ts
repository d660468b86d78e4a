import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createKeyRing, parseKeyRing, rotateKeyRing, serialiseKeyRing, type KeyRing } from './signingKeys.js';

/**
 * The signing keys of a single-node deployment: a 0600 JSON file next to the data. Rotated at start-up
 * when the current key is older than `maxAgeDays` (the previous key stays published, so tokens issued
 * just before still verify). A cluster would keep the ring in a secrets store instead.
 */
export const loadOrCreateKeyRing = async (
  path: string,
  options: { now: Date; maxAgeDays: number },
): Promise<{ ring: KeyRing; rotated: boolean }> => {
  const nowIso = options.now.toISOString();
  let ring: KeyRing;
  let rotated = false;
  if (existsSync(path)) {
    ring = parseKeyRing(readFileSync(path, 'utf8'));
    const age = options.now.getTime() - Date.parse(ring.current.createdAt);
    if (!(age < options.maxAgeDays * 86_400_000)) {
      ring = await rotateKeyRing(ring, nowIso);
      rotated = true;
    } else return { ring, rotated };
  } else ring = await createKeyRing(nowIso);
  mkdirSync(dirname(path), { recursive: true });
  // Write-then-rename: a crash never leaves a half-written key file.
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, serialiseKeyRing(ring), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return { ring, rotated };
};
