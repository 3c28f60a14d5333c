import { MAX_BODY_BYTES, MAX_IMPORT_BODY_BYTES } from '@/lib/api/body';
import { API_ERROR_STATUS, type ApiErrorCode } from '@/lib/api/types';
import { IMPORT_FORMATS, IMPORT_STATUS_LABELS, IMPORT_STATUSES, MAX_IMPORT_BYTES } from '@/lib/imports/schemas';
import { DEPLOYS_PER_MINUTE } from '@/lib/api/rate-limit';
import { CHANGED_FIELDS, DEPLOY_STATUSES } from '@/lib/deploys/schemas';
import { KEY_PATTERN as KEY_RULE, MAX_DESCRIPTION_LENGTH, MAX_KEY_LENGTH, MAX_VALUE_BYTES, RESERVED_PREFIX, SECRET_TYPES } from '@/lib/secrets/rules.mjs';

// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.
// tests/api-openapi.test.ts checks it against lib/api/routes.ts both ways and
// validates real responses against it.

type Schema = Record<string, unknown>;

/** The key rule (lib/secrets/rules.mjs) as one pattern: an environment variable name, not starting with KEYHOLD_ in any case. */
const anyCase = (text: string) => [...text].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toUpperCase()}${c.toLowerCase()}]`)).join('');
const KEY_PATTERN = `^(?!${anyCase(RESERVED_PREFIX)})${KEY_RULE.source.slice(1)}`;
/** A value's limit is in bytes of UTF-8, which JSON Schema cannot count: maxLength (characters) bounds it from above. */
const VALUE: Schema = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_VALUE_BYTES,
  description: `At most ${MAX_VALUE_BYTES / 1024} KiB of UTF-8 (a character outside ASCII takes 2–4 bytes), stored exactly as sent`,
};

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });

const ERROR_TEXT: Record<ApiErrorCode, string> = {
  missing_token: 'no `Authorization: Bearer` header',
  invalid_token: 'the token is unknown or malformed',
  token_expired: 'the token has expired',
  token_revoked: 'the token was revoked',
  insufficient_scope: 'a read token used for a write or for `/secrets/info`',
  not_found: 'no such endpoint',
  secret_not_found: 'no secret with this name (reads) or id (writes) in the token environment',
  deployment_not_found: 'no deployment with this number in the token environment',
  not_deployed: 'the environment has no successful deployment yet',
  method_not_allowed: 'the method is not served at this path (see the `Allow` header)',
  conflict:
    'the name exists already (`A secret with this key already exists`), the secret changed meanwhile, a value to deploy failed to decrypt, or the project data key was rotated during the write (nothing saved: retry)',
  preview_stale:
    'a secret the import preview looked at changed since (`Secrets changed since this preview. Review the new preview.`); the body carries the fresh preview',
  payload_too_large: `body larger than ${MAX_BODY_BYTES / 1024} KiB (${MAX_IMPORT_BODY_BYTES / 1024 / 1024} MiB for imports)`,
  unsupported_media_type: 'a write without `Content-Type: application/json`',
  invalid_json: 'the body is not valid UTF-8 JSON',
  validation_failed: 'the body breaks a rule; `fields` names each field (name, value, description, type) with its message',
  public_credential:
    'the name starts with NEXT_PUBLIC_ (shipped to every browser) and the value looks like a credential (a PEM private key, `sk_live_…`, `AKIA…`, `ghp_…`, `xoxb-`/`xoxp-`, a JWT); send `allowPublicCredential: true` if it is meant to be public',
  no_changes: 'the patch changes nothing (`No changes to save`): every field given equals the current one, or none was given',
  rate_limited: `too many requests for this token or address (or more than ${DEPLOYS_PER_MINUTE} deployments a minute in one environment); wait \`Retry-After\` seconds`,
  integrity_error: 'stored encrypted data failed its integrity check (altered, moved or under another key); restore it from a backup',
  internal_error: 'an unexpected server failure (logged without values)',
  database_unavailable: 'the database cannot be reached; reads of deployments this instance has cached are still served. Retry shortly',
  keys_missing: 'the configured master keys cannot unwrap every project key (GET /api/ready only)',
};

function errors(...codes: ApiErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(API_ERROR_STATUS[code], [...(byStatus.get(API_ERROR_STATUS[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((code) => `\`${code}\`: ${ERROR_TEXT[code]}`).join('; '),
        ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } } } : {}),
        ...(status === 405 ? { headers: { Allow: { schema: { type: 'string' } } } } : {}),
        content: json(ref('Error')),
      },
    ]),
  );
}

const AUTH: ApiErrorCode[] = [
  'missing_token',
  'invalid_token',
  'token_expired',
  'token_revoked',
  'rate_limited',
  'method_not_allowed',
  'internal_error',
  'database_unavailable',
];
const WRITE: ApiErrorCode[] = [...AUTH, 'insufficient_scope'];
const BODY: ApiErrorCode[] = ['payload_too_large', 'unsupported_media_type', 'invalid_json', 'validation_failed'];
/** Routes that decrypt (the deployment snapshot or the project key) can find stored data altered. */
const DECRYPTS: ApiErrorCode[] = ['integrity_error'];

const ERROR_OBJECT: Schema = {
  type: 'object',
  required: ['code', 'message'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', enum: Object.keys(API_ERROR_STATUS) },
    message: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const deploymentHeader = {
  'X-Keyhold-Deployment': { description: 'The number of the deployment served', schema: { type: 'integer' } },
  'X-Keyhold-Environment': { description: "The name of the token's environment (e.g. production)", schema: { type: 'string' } },
};

const ALLOW_PUBLIC_CREDENTIAL: Schema = {
  type: 'boolean',
  default: false,
  description: 'Store a credential-looking value under a NEXT_PUBLIC_ name anyway (recorded in the audit event); otherwise `public_credential`',
};

const secretParam = (description: string) => ({
  name: 'secret',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Keyhold machine API',
    version: '1',
    description:
      'Machine access to one project environment with a service token (Settings → Tokens). Reads serve the ' +
      "environment's latest successful deployment; writes (read-write tokens) change the working set, which takes " +
      'effect at the next deployment. Every response carries `Cache-Control: no-store` and ' +
      '`X-Content-Type-Options: nosniff`; HEAD is accepted wherever GET is. Rate limits apply per token and per ' +
      'address (KEYHOLD_API_RATE_PER_TOKEN, KEYHOLD_API_RATE_PER_IP requests per minute).',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/api/v1/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'The OpenAPI document', content: json({ type: 'object' }) }, ...errors('rate_limited', 'method_not_allowed') },
      },
    },
    '/api/v1/secrets': {
      get: {
        operationId: 'listSecrets',
        summary: 'Every deployed secret of the token environment',
        description:
          'JSON by default, or a `.env` file with `?format=dotenv` that the `dotenv` package reads back to identical ' +
          'values (a value no .env quoting can carry, or a key dotenv drops such as `__proto__`, is left out, named in a comment and in `X-Keyhold-Skipped-Keys`). ' +
          'The strong ETag is the deployment (`"<id>"`, `"<id>-dotenv"`): send it as `If-None-Match` to get a 304 ' +
          'while nothing was deployed.',
        parameters: [
          { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'dotenv'], default: 'json' } },
          { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The deployed secrets',
            headers: {
              ETag: { schema: { type: 'string' } },
              ...deploymentHeader,
              'X-Keyhold-Skipped-Keys': { description: 'dotenv only: keys left out, comma-separated', schema: { type: 'string' } },
            },
            content: {
              ...json(ref('SecretMap')),
              'text/plain': { schema: { type: 'string', description: '.env file (charset utf-8)' } },
            },
          },
          '304': {
            description: 'Not modified: the If-None-Match ETag is still the live deployment',
            headers: { ETag: { schema: { type: 'string' } }, ...deploymentHeader },
          },
          ...errors(...AUTH, ...DECRYPTS, 'not_deployed', 'validation_failed'),
        },
      },
      post: {
        operationId: 'createSecret',
        summary: 'Create a secret in the working set (read-write tokens)',
        requestBody: { required: true, content: json(ref('NewSecret')) },
        responses: { '201': { description: 'Created', content: json(ref('Id')) }, ...errors(...WRITE, ...BODY, ...DECRYPTS, 'conflict') },
      },
    },
    '/api/v1/secrets/info': {
      get: {
        operationId: 'listSecretInfo',
        summary: 'The working set without values (read-write tokens)',
        description: 'Shadows a secret named `info` for GET /api/v1/secrets/{secret}: read that one from GET /api/v1/secrets.',
        responses: { '200': { description: 'Every secret of the working set, by name', content: json(ref('SecretInfoList')) }, ...errors(...WRITE) },
      },
    },
    '/api/v1/secrets/{secret}': {
      get: {
        operationId: 'getSecret',
        summary: 'One deployed secret, by name',
        parameters: [secretParam('The secret name (key). `info` is the info listing, not a secret.')],
        responses: {
          '200': { description: 'The secret', headers: deploymentHeader, content: json(ref('SecretValue')) },
          ...errors(...AUTH, ...DECRYPTS, 'secret_not_found', 'not_deployed'),
        },
      },
      patch: {
        operationId: 'updateSecret',
        summary: 'Change a secret of the working set, by id (read-write tokens)',
        description: 'Only the fields given change; `value` makes a new version; `name` renames (same rules as creating).',
        parameters: [secretParam('The secret id')],
        requestBody: { required: true, content: json(ref('SecretPatch')) },
        responses: {
          '200': { description: 'Changed', content: json(ref('Id')) },
          ...errors(...WRITE, ...BODY, ...DECRYPTS, 'secret_not_found', 'conflict', 'no_changes'),
        },
      },
      delete: {
        operationId: 'deleteSecret',
        summary: 'Delete a secret of the working set, by id (read-write tokens)',
        parameters: [secretParam('The secret id')],
        responses: { '204': { description: 'Deleted' }, ...errors(...WRITE, 'secret_not_found', 'conflict') },
      },
    },
    '/api/v1/deployments': {
      post: {
        operationId: 'createDeployment',
        summary: 'Redeploy the token environment (read-write tokens)',
        description:
          'Snapshots the working set as a new numbered deployment, as Redeploy does in Keyhold, and answers it at once with ' +
          'the key-level diff against the last successful deployment (never a value). The deploy hook, if any, is called ' +
          'in the background: poll `Location` (GET /api/v1/deployments/{number}) until `status` is SUCCEEDED or FAILED. ' +
          'A redeploy without changes is allowed (it snapshots the same secrets and notifies the hook again). No request body. ' +
          `At most ${DEPLOYS_PER_MINUTE} deployments a minute per environment.`,
        parameters: [
          {
            name: 'environment',
            in: 'query',
            required: false,
            description: 'The environment you expect the token to deploy (e.g. production): anything else is refused, and nothing is deployed',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '201': {
            description: 'The new deployment (status RUNNING while the hook is called, or already final)',
            headers: { Location: { description: 'The deployment, to poll', schema: { type: 'string' } } },
            content: json(ref('Deployment')),
          },
          ...errors(...WRITE, ...DECRYPTS, 'conflict', 'validation_failed'),
        },
      },
    },
    '/api/v1/deployments/{number}': {
      get: {
        operationId: 'getDeployment',
        summary: 'One deployment of the token environment, by number',
        parameters: [
          {
            name: 'number',
            in: 'path',
            required: true,
            description: 'The deployment number (1, 2, 3… per environment)',
            schema: { type: 'integer', minimum: 1 },
          },
        ],
        responses: { '200': { description: 'The deployment', content: json(ref('Deployment')) }, ...errors(...AUTH, 'deployment_not_found') },
      },
    },
    '/api/v1/imports/preview': {
      post: {
        operationId: 'previewImport',
        summary: 'What importing a .env or flat JSON text would do, key by key (read-write tokens)',
        description:
          'Parses `text` as the `dotenv` package does (`format: env`) or as one JSON object of string values (`format: json`), ' +
          'checks every key and value with the rules of the UI and compares it with the working set of the token environment. ' +
          'Nothing is written and no value is returned. Apply it with POST /api/v1/imports/apply and its `id`.',
        requestBody: { required: true, content: json(ref('ImportRequest')) },
        responses: { '200': { description: 'The preview', content: json(ref('ImportPreview')) }, ...errors(...WRITE, ...BODY, ...DECRYPTS) },
      },
    },
    '/api/v1/imports/apply': {
      post: {
        operationId: 'applyImport',
        summary: 'Apply a preview: all of it in one transaction with one audit event, or nothing (read-write tokens)',
        description:
          'Send the same `format` and `text` with the preview `id`. New keys are created; changed keys are overwritten only when ' +
          'listed in `overwrite`; invalid and duplicate keys are left out. When anything the preview looked at changed since, nothing ' +
          'is written: 409 `preview_stale` with the fresh preview (apply that one if it is still what you want).',
        requestBody: { required: true, content: json(ref('ImportApplyRequest')) },
        responses: {
          '200': { description: 'Applied', content: json(ref('ImportResult')) },
          '409': { description: '`preview_stale`: a secret the preview looked at changed since; nothing was written', content: json(ref('ImportStale')) },
          ...errors(...WRITE, ...BODY, ...DECRYPTS),
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A service token: kh_ followed by 43 characters' } },
    schemas: {
      Error: { type: 'object', required: ['error'], additionalProperties: false, properties: { error: ERROR_OBJECT } },
      SecretMap: {
        type: 'object',
        required: ['secrets'],
        additionalProperties: false,
        properties: { secrets: { type: 'object', additionalProperties: { type: 'string' } } },
      },
      SecretValue: {
        type: 'object',
        required: ['name', 'value'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, value: { type: 'string' } },
      },
      SecretType: { type: 'string', enum: [...SECRET_TYPES] },
      SecretInfo: {
        type: 'object',
        required: ['id', 'name', 'description', 'type', 'createdAt', 'updatedAt'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          description: { type: 'string' },
          type: ref('SecretType'),
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      SecretInfoList: {
        type: 'object',
        required: ['secrets'],
        additionalProperties: false,
        properties: { secrets: { type: 'array', items: ref('SecretInfo') } },
      },
      NewSecret: {
        type: 'object',
        required: ['name', 'value'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', maxLength: MAX_KEY_LENGTH, pattern: KEY_PATTERN, description: `Not starting with ${RESERVED_PREFIX} (in any case)` },
          value: VALUE,
          description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
          type: { ...ref('SecretType'), description: 'Suggested from the name when absent' },
          allowPublicCredential: ALLOW_PUBLIC_CREDENTIAL,
        },
      },
      SecretPatch: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string', maxLength: MAX_KEY_LENGTH, pattern: KEY_PATTERN },
          value: VALUE,
          description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
          type: ref('SecretType'),
          allowPublicCredential: ALLOW_PUBLIC_CREDENTIAL,
        },
      },
      ChangeSummary: {
        type: 'object',
        description:
          'What a deployment changes against the last successful one: keys and field names, never values. `rebuild` marks NEXT_PUBLIC_ keys (embedded in browser bundles).',
        required: ['added', 'changed', 'removed'],
        additionalProperties: false,
        properties: {
          added: { type: 'array', items: ref('KeyChange') },
          changed: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'fields', 'rebuild'],
              additionalProperties: false,
              properties: {
                key: { type: 'string' },
                fields: { type: 'array', items: { type: 'string', enum: [...CHANGED_FIELDS] } },
                rebuild: { type: 'boolean' },
              },
            },
          },
          removed: { type: 'array', items: ref('KeyChange') },
        },
      },
      KeyChange: {
        type: 'object',
        required: ['key', 'rebuild'],
        additionalProperties: false,
        properties: { key: { type: 'string' }, rebuild: { type: 'boolean' } },
      },
      Deployment: {
        type: 'object',
        required: ['number', 'environment', 'status', 'interrupted', 'error', 'changes', 'secretCount', 'createdAt', 'finishedAt'],
        additionalProperties: false,
        properties: {
          number: { type: 'integer' },
          environment: { type: 'string' },
          status: { type: 'string', enum: [...DEPLOY_STATUSES] },
          interrupted: {
            type: 'boolean',
            description: 'QUEUED or RUNNING for more than two minutes: the server stopped while delivering; retry it in Keyhold',
          },
          error: { type: ['string', 'null'], description: 'Why it failed (the hook status or a network error)' },
          changes: ref('ChangeSummary'),
          secretCount: { type: 'integer' },
          createdAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Id: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string' } } },
      ImportRequest: {
        type: 'object',
        required: ['format', 'text'],
        additionalProperties: false,
        properties: {
          format: { type: 'string', enum: [...IMPORT_FORMATS], description: '`env` (.env, vtex.env) or `json` (a flat object of string values)' },
          text: { type: 'string', minLength: 1, description: `The file's contents, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB of UTF-8` },
        },
      },
      ImportApplyRequest: {
        type: 'object',
        required: ['format', 'text', 'previewId'],
        additionalProperties: false,
        properties: {
          format: { type: 'string', enum: [...IMPORT_FORMATS] },
          text: { type: 'string', minLength: 1 },
          previewId: { type: 'string', description: 'The `id` of the preview of this text' },
          overwrite: { type: 'array', items: { type: 'string' }, description: 'Changed keys to overwrite; every other changed key is skipped (default: none)' },
        },
      },
      ImportRow: {
        type: 'object',
        required: ['key', 'status', 'environment', 'lines'],
        additionalProperties: false,
        properties: {
          key: { type: 'string' },
          status: {
            type: 'string',
            enum: [...IMPORT_STATUSES],
            description: IMPORT_STATUSES.map((s) => `\`${s}\`: ${IMPORT_STATUS_LABELS[s]}`).join('; '),
          },
          environment: {
            type: ['string', 'null'],
            description: 'The environment the row is about; null for rows about the file (invalid entries, duplicates)',
          },
          lines: { type: 'array', items: { type: 'integer' }, description: 'Where the key is in the text (every line of a duplicate)' },
          reason: { type: 'string', description: 'invalid only: the rule the key or value breaks' },
        },
      },
      ImportPreview: {
        type: 'object',
        required: ['id', 'environments', 'counts', 'rows'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          environments: { type: 'array', items: { type: 'string' } },
          counts: {
            type: 'object',
            required: [...IMPORT_STATUSES],
            additionalProperties: false,
            properties: Object.fromEntries(IMPORT_STATUSES.map((s) => [s, { type: 'integer' }])),
          },
          rows: { type: 'array', items: ref('ImportRow') },
        },
      },
      ImportResult: {
        type: 'object',
        required: ['created', 'updated', 'unchanged', 'skipped', 'invalid', 'duplicate', 'environments'],
        additionalProperties: false,
        properties: {
          ...Object.fromEntries(['created', 'updated', 'unchanged', 'skipped', 'invalid', 'duplicate'].map((n) => [n, { type: 'integer' }])),
          environments: { type: 'array', items: { type: 'string' } },
        },
      },
      ImportStale: {
        type: 'object',
        required: ['error', 'preview'],
        additionalProperties: false,
        properties: { error: ERROR_OBJECT, preview: ref('ImportPreview') },
      },
    },
  },
} as const;
