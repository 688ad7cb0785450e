import type { RoutePlugin } from '../../plugins/validation';

const healthRoutes: RoutePlugin = async (app) => {
  app.get('/health', async () => ({ status: 'ok' as const }));
};

export default healthRoutes;
