import {
  competitionParams,
  createDeviceRequest,
  deviceParams,
  grantMembershipRequest,
  judgeParams,
  judgeResumeRequest,
  judgeSignInRequest,
  loginRequest,
  pairDeviceRequest,
  setPinRequest,
} from '@jiangxin/shared';
import { allowRoles, type Principal } from '../../plugins/auth';
import { noBody, type RoutePlugin } from '../../plugins/validation';
import { needsDevice } from './common';
import { PairingThrottledError } from './pairing-limit';
import { SignInLockedError } from './rate-limit';

/** Action routes take no body; an empty object is accepted, anything in it refused. */

/**
 * Sign-in, accounts and devices. Competition routes check the caller's roles first; device routes take the
 * device's own token, and the service checks which kind of token it is.
 */
const authRoutes: RoutePlugin = async (app) => {
  const auth = app.authService;

  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof SignInLockedError) reply.header('retry-after', String(error.retryAfterSeconds));
    if (error instanceof PairingThrottledError) reply.header('retry-after', String(error.retryAfterSeconds));
  });

  // ── Accounts ───────────────────────────────────────────────────────────────────────────────────────

  app.post('/auth/login', { schema: { body: loginRequest } }, async (request) =>
    auth.login(request.body, request.ip),
  );

  app.get('/auth/me', async (request) => auth.whoAmI(request.principal));

  // Any valid token, account or device, renews itself before it expires.
  app.post('/auth/refresh', { schema: { body: noBody } }, async (request) =>
    auth.refresh(request.principal, request.claims),
  );

  app.get(
    '/competitions/:competitionId/members',
    { preValidation: allowRoles(['organizer']), schema: { params: competitionParams } },
    async (request) => {
      return auth.members(request.params.competitionId);
    },
  );

  app.post(
    '/competitions/:competitionId/members',
    {
      preValidation: allowRoles(['organizer']),
      schema: { params: competitionParams, body: grantMembershipRequest },
    },
    async (request, reply) => {
      const actor = accountOf(request.principal);
      return reply
        .code(201)
        .send(await auth.grantMembership(actor, request.params.competitionId, request.body));
    },
  );

  // ── Devices ────────────────────────────────────────────────────────────────────────────────────────

  app.get(
    '/competitions/:competitionId/devices',
    { preValidation: allowRoles(['organizer', 'chiefJudge']), schema: { params: competitionParams } },
    async (request) => {
      return auth.devices(request.params.competitionId);
    },
  );

  app.post(
    '/competitions/:competitionId/devices',
    {
      preValidation: allowRoles(['organizer']),
      schema: { params: competitionParams, body: createDeviceRequest },
    },
    async (request, reply) => {
      const actor = accountOf(request.principal);
      return reply.code(201).send(await auth.createDevice(actor, request.params.competitionId, request.body));
    },
  );

  app.post(
    '/competitions/:competitionId/devices/:deviceId/pairing-code',
    { preValidation: allowRoles(['organizer']), schema: { params: deviceParams, body: noBody } },
    async (request, reply) => {
      const { competitionId, deviceId } = request.params;
      const actor = accountOf(request.principal);
      return reply.code(201).send(await auth.renewPairingCode(actor, competitionId, deviceId));
    },
  );

  app.post(
    '/competitions/:competitionId/devices/:deviceId/revoke',
    {
      preValidation: allowRoles(['organizer', 'chiefJudge']),
      schema: { params: deviceParams, body: noBody },
    },
    async (request) => {
      const { competitionId, deviceId } = request.params;
      return { device: await auth.revokeDevice(accountOf(request.principal), competitionId, deviceId) };
    },
  );

  // request.ip is the connection's address, or behind a trusted proxy (TRUST_PROXY) the client's it forwarded.
  app.post('/devices/pair', { schema: { body: pairDeviceRequest } }, async (request) =>
    auth.pair(request.body.code, request.ip),
  );

  // ── Judges on tablets ──────────────────────────────────────────────────────────────────────────────

  app.post(
    '/competitions/:competitionId/judges/:judgeId/pin',
    {
      preValidation: allowRoles(['organizer', 'chiefJudge']),
      schema: { params: judgeParams, body: setPinRequest },
    },
    async (request) => {
      const { competitionId, judgeId } = request.params;
      return auth.setPin(accountOf(request.principal), competitionId, judgeId, request.body.pin);
    },
  );

  app.get('/devices/judges', async (request) => auth.signInJudges(request.principal));

  app.post(
    '/devices/judge-sign-in',
    {
      // Only a paired tablet may try a PIN; anyone else is refused before the body is read. A judge's own
      // token reaches the service, which says to sign out first.
      preValidation: async (request) => {
        const kind = request.principal.kind;
        if (kind !== 'tablet' && kind !== 'judge') {
          throw needsDevice(request.principal, ['tablet'], {
            'zh-CN': '已配对的裁判平板',
            en: "a paired judge's tablet",
          });
        }
      },
      schema: { body: judgeSignInRequest },
    },
    async (request) => auth.judgeSignIn(request.principal, request.body),
  );

  app.post('/devices/judge-sign-out', { schema: { body: noBody } }, async (request) =>
    auth.judgeSignOut(request.principal),
  );

  // The judge's lapsed token travels in the body (an expired bearer token is refused before any route).
  app.post('/devices/judge-resume', { schema: { body: judgeResumeRequest } }, async (request) =>
    auth.judgeResume(request.body),
  );
};

/** The account behind a request that passed requireRoles with account roles only. */
function accountOf(principal: Principal) {
  if (principal.kind !== 'account') throw new Error(`expected an account, not ${principal.kind}`);
  return principal;
}

export default authRoutes;
