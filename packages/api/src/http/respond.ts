import type { ServerResponse } from 'node:http';
import { codeOfStatus, type ErrorCode } from '../error-codes';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/** The contract's error body; without a `code`, the one the status stands for. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: ErrorCode = codeOfStatus(status),
): void {
  sendJson(res, status, { error: message, code });
}
