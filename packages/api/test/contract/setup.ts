// Runs before every API test file (vitest setupFiles): every answer a test receives over HTTP from a REST path
// is judged against the OpenAPI document the code generates, so the document cannot drift from the wire.
// Any mismatch fails the test that received the answer.
//
// The judge (the document and its compiled schemas) and the fetch wrapper are made once per worker process and
// kept on globalThis: the suite runs several files in one worker (vitest.config.ts), and this file runs again
// for each of them. Only the list of problems is per file: it is emptied when a file starts, so a late answer
// of one file (received after its last test) is never blamed on the next one.
import { afterEach, expect } from 'vitest';
import { openApiDocument } from '../../src/http/openapi-document';
import { type Answer, answerValidator } from './validate-answer';

interface Contract {
  problems: string[];
}

const KEY = Symbol.for('contox.api-test.contract');
const worker = globalThis as typeof globalThis & { [KEY]?: Contract };

/** Our servers listen on loopback; anything else (none today) is not ours to judge. */
const isOurs = (url: URL) =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.pathname.startsWith('/api/');

function install(): Contract {
  const contract: Contract = { problems: [] };
  let judge: ((answer: Answer) => string[]) | undefined;
  const send = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await send(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (!isOurs(url)) return response;
    const answer: Answer = {
      method,
      path: url.pathname,
      status: response.status,
      headers: response.headers,
      ...(method === 'HEAD' ? {} : { body: await response.clone().text() }),
    };
    // Built on the first answer to judge: a file that never calls a REST path does not pay for it.
    judge ??= answerValidator(openApiDocument('http://127.0.0.1'));
    for (const problem of judge(answer)) {
      contract.problems.push(`${method} ${url.pathname} → ${response.status}: ${problem}`);
    }
    return response;
  };
  return contract;
}

worker[KEY] ??= install();
const contract = worker[KEY];
contract.problems.length = 0;

afterEach(() => {
  const found = contract.problems.splice(0);
  expect(found, 'answers that differ from the OpenAPI document').toEqual([]);
});
