// Expected failures of the data layer, with a stable code and an HTTP status
// so server actions and the HTTP API answer them the same way. The message is
// a sentence a user can act on and never contains a secret value.

export type ErrorCode = 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'validation_failed' | 'public_credential' | 'no_changes' | 'rate_limited';

const STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  public_credential: 422,
  no_changes: 422,
  rate_limited: 429,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: Partial<Record<string, string>>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const unauthenticated = () => new AppError('unauthenticated', 'Your session has ended. Sign in again.');
export const forbidden = (message: string) => new AppError('forbidden', message);
export const notFound = (message: string) => new AppError('not_found', message);
export const conflict = (message: string, fieldErrors?: Partial<Record<string, string>>) => new AppError('conflict', message, fieldErrors);
export const noChanges = (message: string) => new AppError('no_changes', message);
export const invalid = (message: string, fieldErrors?: Partial<Record<string, string>>) => new AppError('validation_failed', message, fieldErrors);
/** A NEXT_PUBLIC_ value that looks like a credential, without the override (lib/secrets/schemas.ts). */
export const publicCredential = (message: string) => new AppError('public_credential', message, { value: message });
