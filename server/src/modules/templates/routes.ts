import { z } from 'zod';
import type { RoutePlugin } from '../../plugins/validation';
import { findTemplate, listTemplates } from './service';

/** The shipped scheme templates (评分模板). */
const templatesRoutes: RoutePlugin = async (app) => {
  app.get('/templates', async () => listTemplates());

  app.get(
    '/templates/:name',
    { schema: { params: z.strictObject({ name: z.string().min(1) }) } },
    async (request) => findTemplate(request.params.name),
  );
};

export default templatesRoutes;
