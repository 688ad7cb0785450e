import { competitionParams, eventParams } from '@jiangxin/shared';
import type { FastifyReply } from 'fastify';
import type { Provenance } from '../../documents/model';
import { allowRoles, grantedRoles } from '../../plugins/auth';
import type { RoutePlugin } from '../../plugins/validation';
import type { ExportFile, ResultsFormat } from './service';

/**
 * The official exports. Anyone may ask; unpublished results (and a frozen round's) are refused with 403
 * `results_not_published` / `round_frozen` to all but the chief judge and the organizer, who receive them
 * as drafts. Every answer names its audit position (`X-Audit-Position: seq:hash`) and status
 * (`X-Results-Status: official | draft`), in the file as well.
 *
 * | route (under /api/competitions/:competitionId)          | what                                    |
 * | ------------------------------------------------------- | --------------------------------------- |
 * | GET exports/results.xlsx · .csv · .pdf                  | the competition's results               |
 * | GET events/:eventId/exports/results.xlsx · .csv · .pdf  | one event's results                     |
 * | GET events/:eventId/exports/marks.csv                   | its marks, as `pnpm results` reads them |
 * | GET events/:eventId/exports/scheme.json                 | its scheme, for `pnpm results --scheme` |
 * | GET exports/honours.xlsx · .pdf                         | the honour recommendation list          |
 *
 * The honour list follows the honours module's rule instead: a draft for the organizer and the chief judge
 * until the organizer publishes it, 403 `honours_not_published` to everyone else until then.
 */

const C = '/competitions/:competitionId';
const E = `${C}/events/:eventId`;
const FORMATS: readonly ResultsFormat[] = ['xlsx', 'csv', 'pdf'];

/** RFC 5987 / 6266: an ASCII name for old clients and the UTF-8 name (Chinese) for the rest. */
export function contentDisposition(filename: string, fallbackName: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallbackName}"; filename*=UTF-8''${encoded}`;
}

function provenanceHeaders(reply: FastifyReply, p: Provenance) {
  return reply
    .header('x-audit-position', `${p.auditSeq}:${p.auditHash}`)
    .header('x-results-status', p.draft ? 'draft' : 'official')
    .header('cache-control', 'private, no-store');
}

const send = (reply: FastifyReply, file: ExportFile) =>
  provenanceHeaders(reply, file.provenance)
    .type(file.type)
    .header('content-disposition', contentDisposition(file.filename, file.fallbackName))
    .send(file.body);

const exportsRoutes: RoutePlugin = async (app) => {
  const exports = app.exports;
  const anyone = allowRoles(['public']);

  for (const format of FORMATS) {
    app.get(
      `${C}/exports/results.${format}`,
      { preValidation: anyone, schema: { params: competitionParams } },
      async (request, reply) =>
        send(reply, await exports.results(request.params.competitionId, format, grantedRoles(request))),
    );
    app.get(
      `${E}/exports/results.${format}`,
      { preValidation: anyone, schema: { params: eventParams } },
      async (request, reply) => {
        const { competitionId, eventId } = request.params;
        return send(reply, await exports.results(competitionId, format, grantedRoles(request), eventId));
      },
    );
  }

  for (const format of ['xlsx', 'pdf'] as const)
    app.get(
      `${C}/exports/honours.${format}`,
      { preValidation: anyone, schema: { params: competitionParams } },
      async (request, reply) =>
        send(reply, await exports.honours(request.params.competitionId, format, grantedRoles(request))),
    );

  app.get(
    `${E}/exports/marks.csv`,
    { preValidation: anyone, schema: { params: eventParams } },
    async (request, reply) => {
      const { competitionId, eventId } = request.params;
      return send(reply, await exports.marks(competitionId, eventId, grantedRoles(request)));
    },
  );

  app.get(
    `${E}/exports/scheme.json`,
    { preValidation: anyone, schema: { params: eventParams } },
    async (request, reply) => {
      const { competitionId, eventId } = request.params;
      const { filename, scheme, provenance } = await exports.scheme(
        competitionId,
        eventId,
        grantedRoles(request),
      );
      return provenanceHeaders(reply, provenance)
        .type('application/json; charset=utf-8')
        .header('content-disposition', contentDisposition(filename, 'scheme.json'))
        .send(`${JSON.stringify(scheme, null, 2)}\n`);
    },
  );
};

export default exportsRoutes;
