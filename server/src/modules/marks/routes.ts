import type { RoutePlugin } from '../../plugins/validation';

/** The marks routes (being built). */
const marksRoutes: RoutePlugin = async () => {};

export default marksRoutes;
