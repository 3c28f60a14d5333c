import { describe, expect, it } from 'vitest';
import { deployHookSchema } from '@/lib/deploys/schemas';
import { nameSchema } from '@/lib/auth/schemas';
import { projectNameSchema } from '@/lib/projects/schemas';
import { createTokenSchema } from '@/lib/tokens/schemas';
import {
  MESSAGES,
  SECRET_TYPES,
  SECRET_TYPE_LABELS,
  createSecretSchema,
  isPublicKey,
  secretKeySchema,
  suggestType,
  updateSecretSchema,
} from '@/lib/secrets/schemas';

// The exact texts of DESIGN.md §6: the UI shows these, so they are pinned here.
const UI = {
  keyRequired: 'Secret key is required',
  valueRequired: 'Secret value is required',
  keyPattern: 'Secret key may contain only letters, digits and underscores, and cannot start with a digit',
  keyExists: 'A secret with this key already exists',
  valueTooLarge: 'Secret value must be at most 64 KiB',
  noChanges: 'No changes to save',
};

const valid = { key: 'DATABASE_URL', value: 'postgres://u:p@h/db', description: 'Main DB', type: 'CONNECTION_STRING' } as const;
const validUpdate = { value: 'new', description: 'd', type: 'TOKEN', revision: 3 } as const;

type Issues = Record<string, string[]>;

/** Issues grouped by field path, in order. */
function issuesOf(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): Issues {
  if (result.success) return {};
  const out: Issues = {};
  for (const issue of result.error!.issues) {
    const field = issue.path.map(String).join('.');
    (out[field] ??= []).push(issue.message);
  }
  return out;
}

const create = (patch: Record<string, unknown>) => createSecretSchema.safeParse({ ...valid, ...patch });
const update = (patch: Record<string, unknown>) => updateSecretSchema.safeParse({ ...validUpdate, ...patch });
const createIssues = (patch: Record<string, unknown>) => issuesOf(create(patch));

describe('MESSAGES match the UI contract', () => {
  it('has the exact texts of DESIGN.md §6', () => {
    expect(MESSAGES.keyRequired).toBe(UI.keyRequired);
    expect(MESSAGES.valueRequired).toBe(UI.valueRequired);
    expect(MESSAGES.keyPattern).toBe(UI.keyPattern);
    expect(MESSAGES.keyExists).toBe(UI.keyExists);
    expect(MESSAGES.valueTooLarge).toBe(UI.valueTooLarge);
    expect(MESSAGES.noChanges).toBe(UI.noChanges);
    expect(MESSAGES.keyTooLong).toBe('Secret key must be at most 256 characters');
    expect(MESSAGES.keyReserved).toBe('Secret keys starting with KEYHOLD_ are reserved');
    expect(MESSAGES.descriptionTooLong).toBe('Description must be at most 500 characters');
  });
});

describe('createSecretSchema: key', () => {
  it('accepts a valid input unchanged', () => {
    const result = create({});
    expect(result.success).toBe(true);
    expect(result.data).toEqual({ ...valid, allowPublicCredential: false });
  });

  it('is required: empty, blank or missing gives only "Secret key is required"', () => {
    expect(createIssues({ key: '' })).toEqual({ key: [UI.keyRequired] });
    expect(createIssues({ key: '   ' })).toEqual({ key: [UI.keyRequired] });
    expect(createIssues({ key: undefined })).toEqual({ key: [UI.keyRequired] });
  });

  it.each([
    ['starts with a digit', '1PASSWORD'],
    ['a digit only', '9'],
    ['hyphen', 'API-KEY'],
    ['space inside', 'API KEY'],
    ['dot', 'api.key'],
    ['dollar', '$HOME'],
    ['equals sign', 'A=B'],
    ['non-ASCII letter', 'CLÉ'],
    ['newline inside', 'A\nB'],
  ])('rejects %s with the pattern message', (_label, key) => {
    expect(createIssues({ key })).toEqual({ key: [UI.keyPattern] });
  });

  it.each([['A'], ['_'], ['_PRIVATE'], ['A1'], ['api_key'], ['camelCaseKey'], ['NEXT_PUBLIC_SITE_URL'], ['KEYHOLD'], ['MY_KEYHOLD_TOKEN']])(
    'accepts %s (lowercase allowed; only a KEYHOLD_ prefix is reserved)',
    (key) => {
      const result = create({ key });
      expect(issuesOf(result)).toEqual({});
      expect(result.data!.key).toBe(key);
    },
  );

  it('keeps case: a lowercase key is not upper-cased', () => {
    expect(create({ key: 'database_url' }).data!.key).toBe('database_url');
  });

  it('trims surrounding whitespace from the key (a pasted key)', () => {
    expect(create({ key: '  API_KEY \t' }).data!.key).toBe('API_KEY');
  });

  it('256 characters is fine, 257 is too long', () => {
    const k256 = `A${'B'.repeat(255)}`;
    expect(k256).toHaveLength(256);
    expect(create({ key: k256 }).success).toBe(true);
    expect(createIssues({ key: `${k256}C` })).toEqual({ key: [MESSAGES.keyTooLong] });
  });

  it.each([['KEYHOLD_MASTER_KEY'], ['KEYHOLD_'], ['keyhold_x'], ['Keyhold_Token'], ['kEyHoLd_a']])('%s is reserved (any case)', (key) => {
    expect(createIssues({ key })).toEqual({ key: [MESSAGES.keyReserved] });
  });

  it('secretKeySchema on its own gives the same results', () => {
    expect(secretKeySchema.parse(' FOO_BAR ')).toBe('FOO_BAR');
    expect(issuesOf(secretKeySchema.safeParse('1X'))).toEqual({ '': [UI.keyPattern] });
    expect(issuesOf(secretKeySchema.safeParse(''))).toEqual({ '': [UI.keyRequired] });
  });
});

describe('createSecretSchema: value', () => {
  it('is required on create', () => {
    expect(createIssues({ value: '' })).toEqual({ value: [UI.valueRequired] });
    expect(createIssues({ value: undefined })).toEqual({ value: [UI.valueRequired] });
  });

  it.each([
    ['leading and trailing spaces', '  padded secret  '],
    ['only spaces', '   '],
    ['trailing newline', 'abc\n'],
    ['CRLF line endings', 'line1\r\nline2\r\n'],
    ['tabs', '\tx\t'],
    ['multi-line PEM', '-----BEGIN CERTIFICATE-----\nMIIB\nAbCd==\n-----END CERTIFICATE-----\n'],
    ['unicode', 'pässwörd 🔑 סוד'],
  ])('is kept exactly: %s', (_label, value) => {
    const result = create({ value });
    expect(issuesOf(result)).toEqual({});
    expect(result.data!.value).toBe(value);
  });

  it('64 KiB is counted in UTF-8 bytes: 65,536 ASCII characters ok, 65,537 too large', () => {
    expect(create({ value: 'a'.repeat(65_536) }).success).toBe(true);
    expect(createIssues({ value: 'a'.repeat(65_537) })).toEqual({ value: [UI.valueTooLarge] });
  });

  it('multibyte characters count as their UTF-8 bytes, not as characters', () => {
    // 'é' is 2 bytes: 32,768 of them are exactly 64 KiB, one more is too large.
    expect(create({ value: 'é'.repeat(32_768) }).success).toBe(true);
    expect(createIssues({ value: 'é'.repeat(32_769) })).toEqual({ value: [UI.valueTooLarge] });
    // '€' is 3 bytes: 21,845 of them = 65,535 bytes; + 'ab' = 65,537 bytes in 21,847 characters.
    expect(create({ value: `${'€'.repeat(21_845)}a` }).success).toBe(true);
    expect(createIssues({ value: `${'€'.repeat(21_845)}ab` })).toEqual({ value: [UI.valueTooLarge] });
    // '🔑' is 4 bytes and 2 UTF-16 units: 16,384 are 64 KiB (32,768 .length), 16,385 are not.
    expect(create({ value: '🔑'.repeat(16_384) }).success).toBe(true);
    expect(createIssues({ value: '🔑'.repeat(16_385) })).toEqual({ value: [UI.valueTooLarge] });
  });
});

describe('createSecretSchema: description and type', () => {
  it('description up to 500 characters; 501 is too long', () => {
    expect(create({ description: 'd'.repeat(500) }).success).toBe(true);
    expect(createIssues({ description: 'd'.repeat(501) })).toEqual({ description: [MESSAGES.descriptionTooLong] });
  });

  it('description is optional: empty or missing becomes ""', () => {
    expect(create({ description: '' }).data!.description).toBe('');
    const { description: _omit, ...withoutDescription } = valid;
    const result = createSecretSchema.safeParse(withoutDescription);
    expect(issuesOf(result)).toEqual({});
    expect(result.data!.description).toBe('');
  });

  it('description is trimmed', () => {
    expect(create({ description: '  Main DB \n' }).data!.description).toBe('Main DB');
  });

  it('type accepts exactly the six types', () => {
    expect([...SECRET_TYPES]).toEqual(['API_KEY', 'TOKEN', 'PASSWORD', 'CONNECTION_STRING', 'CERTIFICATE', 'OTHER']);
    expect(Object.values(SECRET_TYPE_LABELS)).toEqual(['API key', 'Token', 'Password', 'Connection string', 'Certificate', 'Other']);
    for (const type of SECRET_TYPES) expect(create({ type }).success).toBe(true);
  });

  it.each([['api_key'], ['API key'], [''], ['SSH_KEY'], [undefined], [3]])('type %j is rejected', (type) => {
    expect(createIssues({ type })).toEqual({ type: ['Choose a secret type'] });
  });

  it('reports every invalid field at once', () => {
    expect(createSecretSchema.safeParse({ key: '1A', value: '', description: 'x'.repeat(501), type: 'NOPE' }).success).toBe(false);
    expect(issuesOf(createSecretSchema.safeParse({ key: '1A', value: '', description: 'x'.repeat(501), type: 'NOPE' }))).toEqual({
      key: [UI.keyPattern],
      value: [UI.valueRequired],
      description: [MESSAGES.descriptionTooLong],
      type: ['Choose a secret type'],
    });
  });
});

describe('updateSecretSchema', () => {
  it('accepts an empty value (keeps the current one)', () => {
    const result = update({ value: '' });
    expect(issuesOf(result)).toEqual({});
    expect(result.data).toEqual({ ...validUpdate, value: '', allowPublicCredential: false });
  });

  it('keeps a new value exactly', () => {
    expect(update({ value: '  x\n' }).data!.value).toBe('  x\n');
  });

  it('applies the same 64 KiB byte limit', () => {
    expect(update({ value: 'a'.repeat(65_536) }).success).toBe(true);
    expect(issuesOf(update({ value: 'a'.repeat(65_537) }))).toEqual({ value: [UI.valueTooLarge] });
    expect(issuesOf(update({ value: 'é'.repeat(32_769) }))).toEqual({ value: [UI.valueTooLarge] });
  });

  it('applies the description and type rules', () => {
    expect(update({ description: 'd'.repeat(500) }).success).toBe(true);
    expect(issuesOf(update({ description: 'd'.repeat(501) }))).toEqual({ description: [MESSAGES.descriptionTooLong] });
    expect(issuesOf(update({ type: 'SECRET' }))).toEqual({ type: ['Choose a secret type'] });
  });

  it('has no key field: a key in the input is ignored (keys are read-only in the edit dialog)', () => {
    const result = update({ key: 'OTHER_KEY' });
    expect(result.success).toBe(true);
    expect(result.data).not.toHaveProperty('key');
  });

  it('requires a positive integer revision', () => {
    for (const revision of [0, -1, 1.5, '3', undefined]) {
      expect(update({ revision }).success, `revision ${String(revision)}`).toBe(false);
    }
    expect(update({ revision: 1 }).success).toBe(true);
  });
});

describe('suggestType', () => {
  it.each([
    ['DATABASE_URL', 'CONNECTION_STRING'],
    ['REDIS_URL', 'CONNECTION_STRING'],
    ['NEXT_PUBLIC_API_URL', 'CONNECTION_STRING'],
    ['MONGO_URI', 'CONNECTION_STRING'],
    ['SENTRY_DSN', 'CONNECTION_STRING'],
    ['database_url', 'CONNECTION_STRING'],
    ['DATABASE_HOST', 'CONNECTION_STRING'],
    ['DB_PASSWORD', 'PASSWORD'],
    ['DATABASE_PASSWORD', 'PASSWORD'],
    ['SMTP_PASSWORD', 'PASSWORD'],
    ['PASSWORD', 'PASSWORD'],
    ['admin_password', 'PASSWORD'],
    ['GITHUB_TOKEN', 'TOKEN'],
    ['SLACK_BOT_TOKEN', 'TOKEN'],
    ['STRIPE_API_KEY', 'API_KEY'],
    ['OPENAI_API_KEY', 'API_KEY'],
    ['STRIPE_SECRET_KEY', 'API_KEY'],
    ['TLS_PEM', 'CERTIFICATE'],
    ['SERVER_CERT', 'CERTIFICATE'],
    ['JWT_PRIVATE_KEY', 'CERTIFICATE'],
    ['PORT', 'OTHER'],
    ['NODE_ENV', 'OTHER'],
    ['LOG_LEVEL', 'OTHER'],
    ['FEATURE_FLAGS', 'OTHER'],
    ['URL_PREFIX', 'OTHER'],
    ['TOKEN_TTL', 'OTHER'],
  ])('%s → %s', (key, type) => {
    expect(suggestType(key)).toBe(type);
  });
});

describe('isPublicKey', () => {
  it.each([
    ['NEXT_PUBLIC_SITE_URL', true],
    ['NEXT_PUBLIC_', true],
    ['NEXT_PUBLICKEY', false],
    ['next_public_site_url', false],
    ['MY_NEXT_PUBLIC_X', false],
    ['PUBLIC_KEY', false],
    ['DATABASE_URL', false],
  ])('%s → %s', (key, expected) => {
    expect(isPublicKey(key)).toBe(expected);
  });
});

describe("ill-formed UTF-16 (a lone surrogate) is refused with the field's message", () => {
  const LONE = ['\ud800', 'a\udc00b', 'x\udbff'];

  it.each(LONE)('in a key, a value and a description on create: %j', (lone) => {
    expect(issuesOf(create({ key: `KEY${lone}` }))).toEqual({ key: ['Secret key contains invalid characters (unpaired UTF-16 surrogate)'] });
    expect(issuesOf(create({ value: lone }))).toEqual({ value: ['Secret value contains invalid characters (unpaired UTF-16 surrogate)'] });
    expect(issuesOf(create({ description: lone }))).toEqual({ description: ['Description contains invalid characters (unpaired UTF-16 surrogate)'] });
  });

  it('in a value and a description on update', () => {
    expect(issuesOf(update({ value: '\ud800', description: '\udc00' }))).toEqual({
      value: [MESSAGES.valueInvalidCharacters],
      description: [MESSAGES.descriptionInvalidCharacters],
    });
  });

  it('keeps well-formed pairs (emoji) and every other character', () => {
    expect(create({ value: '🎉 \ud83c\udf89 日本語', description: '✓ 🎉' }).success).toBe(true);
  });

  it("in a project name, a token name, a person's name and a deploy hook URL", () => {
    expect(projectNameSchema.safeParse('Pay\ud800').error?.issues[0].message).toBe('Project name contains invalid characters (unpaired UTF-16 surrogate)');
    expect(nameSchema.safeParse('Ann\ud800').error?.issues[0].message).toBe('Name contains invalid characters (unpaired UTF-16 surrogate)');
    const token = createTokenSchema.safeParse({ name: 'ci\ud800', environmentId: 'e', scope: 'read', expiry: 'never' });
    expect(issuesOf(token)).toEqual({ name: ['Token name contains invalid characters (unpaired UTF-16 surrogate)'] });
    expect(issuesOf(deployHookSchema.safeParse({ url: 'https://hooks.example.com/\ud800' }))).toEqual({
      url: ['Deploy hook URL contains invalid characters (unpaired UTF-16 surrogate)'],
    });
  });

  it('refuses null for description and type (the API sends them through the same schema)', () => {
    expect(issuesOf(create({ description: null, type: null }))).toEqual({ description: [MESSAGES.descriptionNotText], type: [MESSAGES.typeRequired] });
    expect(issuesOf(update({ value: null }))).toEqual({ value: [MESSAGES.valueNotText] });
  });
});
