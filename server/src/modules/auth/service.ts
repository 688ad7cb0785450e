import type { Database } from '../../db/client';
import type { Tokens } from '../../plugins/auth';
import { createAccountService } from './accounts';
import type { DeviceTokensEnded } from './common';
import { createDeviceService } from './devices';
import { createJudgeSignInService } from './judge-sign-in';

/**
 * Sign-in, accounts and devices, as one service of three parts: accounts.ts (password sign-in, refresh,
 * memberships), devices.ts (pairing, revocation) and judge-sign-in.ts (PINs on tablets). Routes call
 * requireRoles for the competition first; the parts hold the rules: what a token may do, which objects
 * belong to the competition (another competition's are "not found"), rate limits, and the audit entry
 * written in the same transaction as each change.
 */

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(db: Database, tokens: Tokens, tokensEnded: DeviceTokensEnded = () => {}) {
  return {
    ...createAccountService(db, tokens),
    ...createDeviceService(db, tokens, tokensEnded),
    ...createJudgeSignInService(db, tokens, tokensEnded),
  };
}
