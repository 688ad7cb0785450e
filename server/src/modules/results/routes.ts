import { localized, verifyRequest } from '@jiangxin/shared';
import type { RoutePlugin } from '../../plugins/validation';
import { MARKS_FILE_LIMITS } from './marks-file';
import type { PoolLimits } from './pool';
import { demoMarksCsv, demoResults, ResultsBusyError, ResultsService } from './service';

/** Results: the demo final, and the verify tool (成绩复核). */
const resultsRoutes: RoutePlugin<{ limits?: Partial<PoolLimits> | undefined }> = async (app, options) => {
  const results = new ResultsService(options.limits);
  app.addHook('onClose', () => results.close());
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof ResultsBusyError) reply.header('retry-after', String(error.retryAfterSeconds));
  });

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
      bodyLimit: MARKS_FILE_LIMITS.bytes,
      config: {
        bodyTooLarge: localized(
          `评分上限为 ${MARKS_FILE_LIMITS.marks} 条：请按项目拆分成绩文件后分别复核。`,
          `The limit is ${MARKS_FILE_LIMITS.marks.toLocaleString('en')} marks: verify the file one event at a time.`,
        ),
      },
      schema: { body: verifyRequest },
    },
    async (request) => ({ events: await results.verify(request.body.scheme, request.body.marksCsv) }),
  );
};

export default resultsRoutes;
