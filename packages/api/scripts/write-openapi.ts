// Writes docs/openapi.json from the procedures' meta: `pnpm --filter @contox/api openapi` after changing an
// operation (test/openapi-document.test.ts fails while the committed document differs from the generated one).
import { writeFileSync } from 'node:fs';
import { COMMITTED_BASE_URL, COMMITTED_DOCUMENT } from '../src/http/committed-document';
import { openApiDocument } from '../src/http/openapi-document';

writeFileSync(COMMITTED_DOCUMENT, `${JSON.stringify(openApiDocument(COMMITTED_BASE_URL), null, 2)}\n`);
console.log(`wrote ${COMMITTED_DOCUMENT}`);
