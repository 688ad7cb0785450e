import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Tokens } from '../../plugins/auth';
import type { Writer } from '../audit/service';
import { createAccountService } from './accounts';
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

export function createAuthService(writer: Writer, tokens: Tokens) {
  return {
    ...createAccountService(writer, tokens),
    ...createDeviceService(writer, tokens),
    ...createJudgeSignInService(writer, tokens),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sign-in, accounts and devices. */
    authService: AuthService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('authService', createAuthService({ db: app.db, changes: app.changes }, app.tokens));
  },
  { name: 'auth-service', dependencies: ['database', 'changes', 'auth'] },
);
