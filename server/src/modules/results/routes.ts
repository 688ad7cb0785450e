import { localized, verifyRequest } from '@jiangxin/shared';
import type { RoutePlugin } from '../../plugins/validation';
import { computeResults, demoMarksCsv, demoResults } from './service';

/** The largest marks upload accepted: a whole championship's marks fit well within it. */
export const RESULTS_BODY_LIMIT = 2 * 1024 * 1024;

/** Results: the demo final, and the verify tool (成绩复核). */
const resultsRoutes: RoutePlugin = async (app) => {
  app.get('/demo/results', async () => demoResults());

  app.get('/demo/marks.csv', async (_request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'inline; filename="paris2024-men-10m-platform-final.marks.csv"')
      .send(demoMarksCsv()),
  );

  app.post(
    '/results',
    {
      bodyLimit: RESULTS_BODY_LIMIT,
      config: {
        bodyTooLarge: localized('请拆分成绩文件后分别复核。', 'Split the marks file and verify the parts.'),
      },
      schema: { body: verifyRequest },
    },
    async (request) => ({
      events: computeResults(request.body.scheme, request.body.marksCsv),
    }),
  );
};

export default resultsRoutes;
