import type { IncomingMessage } from 'node:http';
import { API_MESSAGES, ApiError } from '@/lib/api/errors';

export const MAX_BODY_BYTES = 128 * 1024;
/** An import's body: the text (lib/imports/parse.ts MAX_IMPORT_BYTES) as a JSON string, where escapes can double it. */
export const MAX_IMPORT_BODY_BYTES = 10 * 1024 * 1024;
/** Past the limit the rest is read and dropped (so the client sees the 413), up to this much more; then the connection is cut. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

const tooLarge = (limit: number) =>
  new ApiError('payload_too_large', limit === MAX_BODY_BYTES ? API_MESSAGES.payloadTooLarge : API_MESSAGES.importTooLarge, { close: true });

/** Reads a JSON request body: 415 unless JSON, 413 past `limit` (128 KiB; 10 MiB for imports), 400 unless valid UTF-8 JSON. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!JSON_TYPE.test(type)) throw new ApiError('unsupported_media_type', API_MESSAGES.unsupportedMediaType);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) over = true;
    if (size > limit + MAX_DRAIN_BYTES) {
      req.destroy();
      break;
    }
    if (!over) chunks.push(chunk);
  }
  if (over) throw tooLarge(limit);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    throw new ApiError('invalid_json', API_MESSAGES.invalidJson);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid_json', API_MESSAGES.invalidJson);
  }
}
