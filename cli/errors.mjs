// @ts-check
// One line on stderr for every failure, and the exit code that goes with it.

/** Exit codes of `keyhold` itself (for `run`, once the command has started, its own code is passed through). */
export const EXIT = Object.freeze({
  OK: 0,
  /** bad arguments, missing configuration, unreadable or invalid input file, refusing to overwrite */
  USAGE: 1,
  /** the Keyhold API answered with an error (auth, scope, not found, validation, rate limit, server) */
  API: 2,
  /** the Keyhold API could not be reached (connection refused, DNS, TLS, timeout) */
  NETWORK: 3,
});

/** A failure that is the caller's to fix: printed as is, exit 1 (or the given code). */
export class UsageError extends Error {
  /** @param {string} message @param {number} [exitCode] */
  constructor(message, exitCode = EXIT.USAGE) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
  }
}

const NEW_TOKEN = 'Create a new one in Settings → Tokens.';

/**
 * @param {string} message
 * @param {string} code
 */
const withCode = (message, code) => `${message.replace(/[.\s]+$/, '')} (${code})`;

/** Node's codes for a TLS certificate no CA it knows has signed (a private CA's, or a self-signed one). */
const UNTRUSTED_CERTIFICATE =
  /\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)$/;

/** @param {string} text */
const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The one line (without the `keyhold: ` prefix) and exit code for an error.
 * @param {unknown} error
 * @param {{ command?: string | null }} [context]
 * @returns {{ line: string, exitCode: number }}
 */
export function describeError(error, context = {}) {
  if (error instanceof UsageError) return { line: error.message, exitCode: error.exitCode };
  const e = /** @type {{ name?: string, code?: unknown, status?: unknown, message?: string, fields?: Record<string, string>, retryAfter?: number }} */ (error);
  if (!e || e.name !== 'KeyholdError' || typeof e.code !== 'string') {
    const message = error instanceof Error ? error.message : String(error);
    return { line: `unexpected error: ${message}`, exitCode: EXIT.API };
  }
  const server = e.message ?? '';
  const code = e.code;
  const command = context.command ? `keyhold ${context.command}` : 'this command';
  switch (code) {
    case 'not_configured':
      return { line: server, exitCode: EXIT.USAGE };
    case 'network_error':
      if (UNTRUSTED_CERTIFICATE.test(server)) {
        return {
          line: `${lowerFirst(server)}. Check KEYHOLD_URL; if your own CA signed the server's certificate, export NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`,
          exitCode: EXIT.NETWORK,
        };
      }
      return { line: `${lowerFirst(server)}. Check KEYHOLD_URL and that the server is running.`, exitCode: EXIT.NETWORK };
    case 'timeout':
      return { line: `${withCode(lowerFirst(server), 'timeout')}. Check KEYHOLD_URL and the server.`, exitCode: EXIT.NETWORK };
    case 'missing_token':
      return { line: 'the server received no token (missing_token). Set KEYHOLD_TOKEN or pass --token.', exitCode: EXIT.API };
    case 'invalid_token':
      return {
        line: 'the token is not valid for this server (invalid_token). Check KEYHOLD_TOKEN and KEYHOLD_URL; tokens start with kh_.',
        exitCode: EXIT.API,
      };
    case 'token_expired':
      return { line: `the token has expired (token_expired). ${NEW_TOKEN}`, exitCode: EXIT.API };
    case 'token_revoked':
      return { line: `the token was revoked (token_revoked). ${NEW_TOKEN}`, exitCode: EXIT.API };
    case 'insufficient_scope':
      return {
        line: `this token is read-only (insufficient_scope): ${command} needs a read-write token. Create one in Settings → Tokens.`,
        exitCode: EXIT.API,
      };
    case 'not_deployed':
      return { line: "the token's environment has no successful deployment yet (not_deployed). Deploy it in Keyhold first.", exitCode: EXIT.API };
    case 'secret_not_found':
      return { line: `${withCode(server || 'no such secret in the deployed environment', code)}.`, exitCode: EXIT.API };
    case 'deployment_not_found':
      return { line: `${withCode(server || "no such deployment in the token's environment", code)}.`, exitCode: EXIT.API };
    case 'public_credential':
      return { line: `${withCode(server || 'a NEXT_PUBLIC_ value looks like a credential', code)}`, exitCode: EXIT.API };
    case 'not_found':
      return { line: `${withCode(server || 'not found', code)}. Check KEYHOLD_URL.`, exitCode: EXIT.API };
    case 'method_not_allowed':
      return { line: 'the server does not accept this request (method_not_allowed). Is KEYHOLD_URL a Keyhold server of the same version?', exitCode: EXIT.API };
    case 'payload_too_large':
      return {
        line: `the request is too large for the server (payload_too_large). ${context.command === 'import' ? 'Imports are limited to 4 MiB of text: split the file.' : 'Secret values are limited to 64 KiB.'}`,
        exitCode: EXIT.API,
      };
    case 'unsupported_media_type':
    case 'invalid_json':
      return { line: `the server could not read the request (${code}): ${server}. This is a bug in keyhold; please report it.`, exitCode: EXIT.API };
    case 'validation_failed': {
      const fields = e.fields ? Object.entries(e.fields).map(([field, message]) => `${field}: ${message}`) : [];
      const detail = fields.length ? ` [${fields.join('; ')}]` : '';
      return { line: `${withCode(server || 'the server refused the input', code)}${detail}.`, exitCode: EXIT.API };
    }
    case 'no_changes':
      return { line: `${withCode(server || 'the change would change nothing', code)}.`, exitCode: EXIT.API };
    case 'conflict':
      return { line: `${withCode(server || 'the secret was changed by someone else', code)}. Try again.`, exitCode: EXIT.API };
    case 'preview_stale':
      return { line: `${withCode(server || 'secrets changed since this preview', code)}. Run the command again.`, exitCode: EXIT.API };
    case 'rate_limited': {
      const wait = typeof e.retryAfter === 'number' ? ` Try again in ${e.retryAfter} s.` : ' Try again later.';
      return { line: `too many requests for this token or address (rate_limited).${wait}`, exitCode: EXIT.API };
    }
    case 'integrity_error':
      return { line: `${withCode(server || 'the stored data failed its integrity check', code)}.`, exitCode: EXIT.API };
    case 'internal_error':
      return { line: "the Keyhold server failed (internal_error). Try again; if it keeps failing, check the server's log.", exitCode: EXIT.API };
    case 'database_unavailable':
      return { line: 'the Keyhold server cannot reach its database (database_unavailable). Try again in a moment.', exitCode: EXIT.API };
    case 'keys_missing':
      return {
        line: 'the Keyhold server cannot unwrap its project keys with the configured master keys (keys_missing). Ask your Keyhold administrator.',
        exitCode: EXIT.API,
      };
    case 'bad_response':
      return { line: `${withCode(server, code)}.`, exitCode: EXIT.API };
    default:
      return { line: `${withCode(server || 'the request failed', `${code}, HTTP ${e.status}`)}.`, exitCode: EXIT.API };
  }
}

/** Network trouble, or a gateway saying Keyhold is down: what --env-file-fallback covers (never auth errors). @param {unknown} error */
export function isUnreachable(error) {
  const e = /** @type {{ name?: string, code?: unknown, status?: unknown }} */ (error);
  if (!e || e.name !== 'KeyholdError') return false;
  if (e.code === 'network_error' || e.code === 'timeout') return true;
  return e.code === 'bad_response' && (e.status === 502 || e.status === 503 || e.status === 504);
}
