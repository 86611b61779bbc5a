import { fileURLToPath } from 'node:url';

/** The document committed beside the code (`docs/openapi.json`), for readers and generators (the typed client). */
export const COMMITTED_DOCUMENT = fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url));

/** The `servers` URL of the committed document: where `npm start` listens by default. */
export const COMMITTED_BASE_URL = 'http://127.0.0.1:3000';
