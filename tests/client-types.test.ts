// The over-HTTP client is plain JavaScript with hand-written types
// (client/index.d.mts) so other apps need no build step. These checks keep
// it in line with the shared machine-API types (lib/api/types.ts): tsc fails
// (npm test's typecheck) when they drift, and the runtime lists are compared.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { describeError } from '../cli/errors.mjs';
import {
  createClient,
  KeyholdError,
  SECRET_TYPES,
  type CreateSecretInput,
  type SecretInfo,
  type SecretType,
  type UpdateSecretInput,
} from '../client/index.mjs';
import { API_ERROR_STATUS, type KeyholdSecrets, type NewSecretInput, type SecretInfo as SharedSecretInfo, type SecretPatchInput } from '@/lib/api/types';
import { SECRET_TYPES as RULE_TYPES, type SecretType as RuleType } from '@/lib/secrets/rules.mjs';

describe('client types', () => {
  it('match the shared machine-API types', () => {
    expectTypeOf<SecretType>().toEqualTypeOf<RuleType>();
    expectTypeOf<SecretInfo>().toEqualTypeOf<SharedSecretInfo>();
    expectTypeOf<CreateSecretInput>().toEqualTypeOf<NewSecretInput>();
    expectTypeOf<UpdateSecretInput>().toEqualTypeOf<SecretPatchInput>();
    // The client offers the verbs of the in-process API, with the same signatures.
    expectTypeOf(createClient({ url: 'http://x', token: 'kh_x' })).toExtend<KeyholdSecrets>();
    expect([...SECRET_TYPES]).toEqual([...RULE_TYPES]);
  });

  it('the CLI has its own line for every API error code', () => {
    const generic = describeError(new KeyholdError('some_future_code', 'm', 400)).line;
    for (const [code, status] of Object.entries(API_ERROR_STATUS)) {
      const { line, exitCode } = describeError(new KeyholdError(code, 'server message', status), { command: 'import' });
      expect(line).toContain(`(${code}`);
      expect(line).not.toContain(`HTTP ${status}`); // the generic fallback names the status
      expect(exitCode).toBe(2);
      expect(generic).toContain('HTTP 400');
    }
  });
});
