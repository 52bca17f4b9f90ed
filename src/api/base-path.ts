/**
 * Base path of the versioned public API: every resource route is registered under it, and the Location headers the
 * routes build start with it. A module of its own so routes need not import the app that registers them.
 */
export const API_V1 = '/api/v1';
