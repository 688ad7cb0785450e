import { createHash } from 'node:crypto';
import { competitionParams, type LiveAudience, roundParams } from '@jiangxin/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allowRoles, grantedRoles } from '../plugins/auth';
import type { RoutePlugin } from '../plugins/validation';
import { competitionSnapshot } from './competitions';
import { audienceOf, roundSnapshot, roundUnpublished, shownEntry, visibleTo } from './snapshot';

/**
 * The live view over plain HTTP, for phones whose socket cannot connect (some in-app browsers and proxies),
 * screens without a socket, and a CDN in front of large audiences:
 * - GET /api/competitions/:competitionId/live: the rounds the caller's audience may watch (the answer of
 *   `competition:join`);
 * - GET /api/competitions/:competitionId/rounds/:roundId/live: a round's snapshot. A published round's
 *   answer is the same for everyone (the public snapshot); the chief judge and the organizer also get an
 *   unpublished round.
 * Both are tagged (ETag, 304 on If-None-Match); a public answer may be kept by a shared cache for two
 * seconds, a staff answer by none.
 */
const liveRoutes: RoutePlugin = async (app) => {
  app.get(
    '/competitions/:competitionId/live',
    { preValidation: allowRoles(['public']), schema: { params: competitionParams } },
    async (request, reply) => {
      const { competitionId } = request.params;
      // Staff are listed more rounds than the public: a shared cache keeps one answer per token.
      reply.header('cache-control', 'no-store').header('vary', 'authorization');
      // The list carries no names: a judge's device gets the public's.
      const asking = audienceOf(grantedRoles(request));
      const audience = asking === 'judge' ? 'public' : asking;
      const snapshot = await competitionSnapshot(app, competitionId, audience);
      // The list has no version of its own: its tag is its content's.
      const tag = createHash('sha1').update(JSON.stringify(snapshot)).digest('base64url');
      if (unchangedFor(request, reply, audience, tag)) return reply.code(304).send();
      return snapshot;
    },
  );

  app.get(
    '/competitions/:competitionId/rounds/:roundId/live',
    { preValidation: allowRoles(['public']), schema: { params: roundParams } },
    async (request, reply) => {
      const { competitionId, roundId } = request.params;
      reply.header('cache-control', 'no-store');
      const asking = audienceOf(grantedRoles(request));
      const entry = await shownEntry(app, competitionId, roundId, 'public');
      // A round the public sees gets the one public answer, whoever asks (so a shared cache can keep it),
      // but a judge's device its own, without names.
      const audience = asking !== 'judge' && visibleTo('public', entry) ? 'public' : asking;
      if (!visibleTo(audience, entry)) throw roundUnpublished();
      // The Postgres position too: after a rebuild of the live view its versions start again.
      if (unchangedFor(request, reply, audience, `${entry.sourceVersion}.${entry.version}`)) {
        return reply.code(304).send();
      }
      return roundSnapshot(entry, audience);
    },
  );
};

/**
 * Tags a live answer for `audience` (ETag and Cache-Control) and says whether the caller already holds it
 * (If-None-Match), so that an unchanged answer costs a 304 without a body.
 */
function unchangedFor(
  request: FastifyRequest,
  reply: FastifyReply,
  audience: LiveAudience,
  tag: string,
): boolean {
  const etag = audience === 'public' ? `"${tag}"` : `"${tag}-${audience}"`;
  reply
    .header('etag', etag)
    .header('cache-control', audience === 'public' ? 'public, max-age=2' : 'private, no-store');
  const given = request.headers['if-none-match'];
  return (
    given?.split(',').some((held) => {
      const value = held.trim();
      return value === '*' || value.replace(/^W\//, '') === etag;
    }) ?? false
  );
}

export default liveRoutes;
