import { roundParams } from '@jiangxin/shared';
import { allowRoles, grantedRoles } from '../plugins/auth';
import type { RoutePlugin } from '../plugins/validation';
import { audienceOf, roundSnapshot, roundUnpublished, shownEntry, visibleTo } from './snapshot';

/**
 * GET /api/competitions/:competitionId/rounds/:roundId/live: the round's snapshot over plain HTTP, for
 * screens without a socket and for a CDN in front of large audiences. A published round's answer is the
 * same for everyone (the public snapshot), tagged with its version and cacheable for two seconds; the chief
 * judge and the organizer also get an unpublished round, never stored by a shared cache.
 */
const liveRoutes: RoutePlugin = async (app) => {
  app.get(
    '/competitions/:competitionId/rounds/:roundId/live',
    { preValidation: allowRoles(['public']), schema: { params: roundParams } },
    async (request, reply) => {
      const { competitionId, roundId } = request.params;
      reply.header('cache-control', 'no-store');
      const held = grantedRoles(request);
      const entry = await shownEntry(app, competitionId, roundId, 'public');
      // A round the public sees gets the one public answer, whoever asks (so a shared cache can keep it).
      const audience = visibleTo('public', entry) ? 'public' : audienceOf(held);
      if (!visibleTo(audience, entry)) throw roundUnpublished();
      // The Postgres position too: after a rebuild of the live view its versions start again.
      const tag = `${entry.sourceVersion}.${entry.version}`;
      const etag = audience === 'public' ? `"${tag}"` : `"${tag}-staff"`;
      reply
        .header('etag', etag)
        .header('cache-control', audience === 'public' ? 'public, max-age=2' : 'private, no-store');
      const given = request.headers['if-none-match'];
      if (given?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        return reply.code(304).send();
      }
      return roundSnapshot(entry, audience);
    },
  );
};

export default liveRoutes;
