import type { IncomingMessage } from 'node:http';

/** The one limit on request bodies: ours and the tRPC adapter's. */
export const MAX_BODY_BYTES = 1_000_000;

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The service's only reader of request bodies: the exact bytes, refused past the limit. The webhook verifies
 * these bytes; every other route parses them with parseJsonBody.
 */
// Plain 'data'/'end' listeners: an async iterator per request costs measurably more on the hot path.
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const limit = MAX_BODY_BYTES;
  const tooLarge = () => new BodyError(413, `Request body too large (limit ${limit} bytes)`);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** JSON bodies only: anything else is refused before it reaches a procedure. An empty body is `{}`. */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return {};
  if (type !== 'application/json') {
    throw new BodyError(415, `Unsupported Content-Type "${type || 'none'}": send application/json`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BodyError(400, 'Malformed JSON body');
  }
}
