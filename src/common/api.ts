/** Prefix of the JSON API. HSDS lives under /api/hsds, pages at /, health at /health. */
export const API = 'api/v1';
