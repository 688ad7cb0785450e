import { webcrypto } from 'node:crypto';
import { submitMarkRequest } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { newId } from './id';

describe('newId', () => {
  // What a page served over plain HTTP from a venue address has: getRandomValues, no randomUUID.
  const insecure = {
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
  } as unknown as Pick<Crypto, 'getRandomValues'>;

  it('makes version-4 UUIDs the mark request accepts without randomUUID (not a secure context)', () => {
    const ids = Array.from({ length: 2_000 }, () => newId(insecure));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const request = { id, workstation: 'A01', item: 'quality', value: '8' };
      expect(submitMarkRequest.safeParse(request).success).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses randomUUID where the browser has it', () => {
    const fixed = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' as const;
    expect(newId({ ...insecure, randomUUID: () => fixed })).toBe(fixed);
  });
});
