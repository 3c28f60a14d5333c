// The error every machine-API call rejects with, in-process and over HTTP:
// the same code and message as the HTTP API's JSON error. No imports beyond
// the shared types (imported relatively), so the HTTP client can use it too.
import { API_ERROR_STATUS, type ApiErrorCode } from './types';

export class KeyholdError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: Partial<Record<string, string>>,
    /** Seconds to wait (rate_limited). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'KeyholdError';
    this.status = API_ERROR_STATUS[code];
  }
}
