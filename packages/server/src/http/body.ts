/**
 * Reading request bodies defensively: a size limit checked on `Content-Length` and again while
 * streaming (a client may lie or use chunked encoding), a JSON content type, strict UTF-8 and
 * JSON syntax. Every failure is a 4xx, never an exception that escapes.
 * @module
 */
import { ApiError } from './errors.js';

/** Reads and parses a JSON body; returns `undefined` when the request has no body at all. */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const length = request.headers.get('content-length');
  if (length !== null) {
    const n = Number(length);
    if (!/^\d+$/.test(length.trim()) || !Number.isSafeInteger(n)) {
      throw new ApiError('invalid_request', 'Content-Length is not a number.', { field: 'Content-Length' });
    }
    if (n > limit) throw tooLarge(limit);
  }
  const bytes = await readLimited(request, limit);
  if (bytes === undefined || bytes.length === 0) return undefined;
  const type = request.headers.get('content-type');
  if (type === null || !isJsonType(type)) {
    throw new ApiError('unsupported_media_type', 'Send the body as application/json.', { field: 'Content-Type' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid UTF-8.', { field: 'body' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON.', { field: 'body' });
  }
}

function isJsonType(type: string): boolean {
  const [essence, ...params] = type.split(';').map((s) => s.trim().toLowerCase());
  if (essence !== 'application/json') return false;
  // Only UTF-8 is supported; an explicit other charset would be decoded wrongly.
  return params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

function tooLarge(limit: number): ApiError {
  return new ApiError('payload_too_large', `The body is larger than ${limit} bytes.`, { field: 'body' });
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const stream = request.body;
  if (stream === null) return undefined;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        // Stop reading but do not cancel: cancelling destroys the Node socket before the 413 is
        // written. The runtime discards the rest and closes the connection after the response.
        reader.releaseLock();
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('invalid_request', 'The body could not be read.', { field: 'body' });
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
