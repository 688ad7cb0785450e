import { randomInt } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from '@jiangxin/shared';
import { hash, verify } from '@node-rs/argon2';

/**
 * Passwords and PINs are stored as argon2id hashes (the library's defaults: 19 MiB, 2 passes), never
 * as text. Pairing codes are random, short-lived and hashed with the server secret instead (see
 * Tokens.digest), since a device is found by its code.
 */

export const hashSecret = (secret: string) => hash(secret);

/** Whether `secret` matches `stored`; false (never an error) for a stored value that is not an argon2 hash. */
export async function verifySecret(stored: string, secret: string): Promise<boolean> {
  try {
    return await verify(stored, secret);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the time a real check takes when there is nothing to check (an unknown username), so the answer's
 * timing does not tell which usernames exist.
 */
export async function verifyNothing(secret: string): Promise<false> {
  decoy ??= hash('jiangxin decoy password');
  await verifySecret(await decoy, secret);
  return false;
}

/** A new pairing code: PAIRING_CODE_LENGTH characters, uniformly from the unambiguous alphabet. */
export function newPairingCode(): string {
  return Array.from(
    { length: PAIRING_CODE_LENGTH },
    () => PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)],
  ).join('');
}
