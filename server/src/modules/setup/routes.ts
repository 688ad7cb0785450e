import type { RoutePlugin } from '../../plugins/validation';

/** The setup routes (being built). */
const setupRoutes: RoutePlugin = async () => {};

export default setupRoutes;
