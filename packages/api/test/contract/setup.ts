// Runs before every API test file (vitest setupFiles): every answer a test receives over HTTP from a REST path
// is judged against the OpenAPI document the code generates, so the document cannot drift from the wire.
// Any mismatch fails the test that received the answer.
import { afterEach, expect } from 'vitest';
import { openApiDocument } from '../../src/http/openapi-document';
import { type Answer, answerValidator } from './validate-answer';

const judge = answerValidator(openApiDocument('http://127.0.0.1'));
const problems: string[] = [];
const send = globalThis.fetch;

/** Our servers listen on loopback; anything else (none today) is not ours to judge. */
const isOurs = (url: URL) =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.pathname.startsWith('/api/');

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
  for (const problem of judge(answer)) problems.push(`${method} ${url.pathname} → ${response.status}: ${problem}`);
  return response;
};

afterEach(() => {
  const found = problems.splice(0);
  expect(found, 'answers that differ from the OpenAPI document').toEqual([]);
});
