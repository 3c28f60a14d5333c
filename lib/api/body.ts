import type { IncomingMessage } from 'node:http';
import { API_MESSAGES, ApiError } from '@/lib/api/errors';

export const MAX_BODY_BYTES = 128 * 1024;
/** Past the limit the rest is read and dropped (so the client sees the 413), up to this much; then the connection is cut. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

const tooLarge = () => new ApiError('payload_too_large', API_MESSAGES.payloadTooLarge, { close: true });

/** Reads a JSON request body: 415 unless JSON, 413 past 128 KiB, 400 unless valid UTF-8 JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!JSON_TYPE.test(type)) throw new ApiError('unsupported_media_type', API_MESSAGES.unsupportedMediaType);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();

  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) over = true;
    if (size > MAX_DRAIN_BYTES) {
      req.destroy();
      break;
    }
    if (!over) chunks.push(chunk);
  }
  if (over) throw tooLarge();

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
