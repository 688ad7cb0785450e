import type { RoutePlugin } from '../../plugins/validation';

/** The auth routes (being built). */
const authRoutes: RoutePlugin = async () => {};

export default authRoutes;
