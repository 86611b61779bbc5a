import { describe, expect, it } from 'vitest';
import { errorInfo } from '../src/lib/errors';

const withResponse = (httpStatus: number, message: string, requestId: string | null) => ({
  message,
  data: { httpStatus, code: 'X' },
  meta: { response: new Response(null, { headers: requestId ? { 'X-Request-Id': requestId } : {} }) },
});

describe('errorInfo', () => {
  it('turns a bare server fault into a sentence with the request id to quote', () => {
    const info = errorInfo(withResponse(500, 'Internal server error', 'req_abc123'));
    expect(info.requestId).toBe('req_abc123');
    expect(info.message).toBe(
      'Something went wrong on our side. Try again in a moment; if it keeps happening, contact support and quote request id req_abc123.',
    );
    expect(info.message).not.toContain('Internal server error');
  });

  it('keeps what an outage of the payment provider said, and still asks to quote the id', () => {
    const info = errorInfo(withResponse(503, 'The payment provider is unavailable.', 'req_1'));
    expect(info.message).toBe(
      'The payment provider is unavailable. If it keeps happening, contact support and quote request id req_1.',
    );
  });

  it('leaves client errors as the server worded them, and works without a response', () => {
    expect(errorInfo(withResponse(409, 'No saved card', 'req_2')).message).toBe('No saved card');
    const bare = errorInfo({ message: 'Internal server error', data: { httpStatus: 500 } });
    expect(bare.requestId).toBeNull();
    expect(bare.message).toMatch(/contact support\.$/);
  });

  it('says the service cannot be reached when fetch itself failed', () => {
    expect(errorInfo(new TypeError('Failed to fetch')).message).toMatch(/^Cannot reach the billing service/);
  });
});
