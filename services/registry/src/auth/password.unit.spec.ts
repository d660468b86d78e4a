import { describe, it, expect } from 'vitest';
import { hashPassword, needsRehash, passwordProblem, dummyPasswordHash, verifyPassword } from './password.js';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one; never stores the password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
  });
  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });
  it('refuses malformed hashes without throwing', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$a$b$c$d$e')).toBe(false);
    expect(await verifyPassword('anything', await dummyPasswordHash())).toBe(false);
  });
  it('knows when parameters are too weak', () => {
    expect(needsRehash('scrypt$16384$8$1$AAAA$BBBB')).toBe(true);
    expect(needsRehash('scrypt$32768$8$1$AAAA$BBBB')).toBe(false);
  });
  it('requires a length, not composition', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('a long passphrase')).toBeNull();
  });
});
