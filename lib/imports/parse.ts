// Reading an import (issue 12): `.env` / `vtex.env` text exactly as the
// `dotenv` package reads it, or a flat JSON object of string values
// (`secrets.revealed.json`). Each key is checked with the UI's own schemas
// (lib/secrets/rules.mjs and schemas.ts: same rules, same messages); a key written twice
// (or twice differing only by case) is `Duplicate in file` with its lines.
// No `server-only` marker: the /api/v1 handler runs outside Next.
import { dotenvKeyLines, parseDotenv } from '@/lib/dotenv-parse.mjs';
import { invalid } from '@/lib/errors';
import { IMPORT_MESSAGES, MAX_IMPORT_BYTES, type ImportFormat } from '@/lib/imports/schemas';
import { keyProblem, valueProblem } from '@/lib/secrets/rules.mjs';
import { publicCredentialProblem } from '@/lib/secrets/schemas';

export type ParsedEntry = { key: string; value: string; line: number | null };
type ParsedInvalid = { key: string; line: number | null; reason: string };
type ParsedDuplicate = { key: string; lines: number[] };
export type ParsedImport = { entries: ParsedEntry[]; invalid: ParsedInvalid[]; duplicates: ParsedDuplicate[] };

/**
 * Top-level keys of a JSON object text with their lines. JSON.parse keeps
 * the last of two equal keys silently; this scan sees them all. Every `"`
 * outside a string starts a string, so reading strings one after another
 * from the start never lands inside one.
 */
function jsonKeyLines(text: string): { key: string; line: number }[] {
  const found: { key: string; line: number }[] = [];
  const token = /"(?:[^"\\]|\\.)*"|[{}[\]]|\n/g;
  let depth = 0;
  let line = 1;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    const t = match[0];
    if (t === '\n') line++;
    else if (t === '{' || t === '[') depth++;
    else if (t === '}' || t === ']') depth--;
    else {
      const startLine = line;
      line += t.split('\n').length - 1; // raw newlines are invalid in JSON strings, but count them anyway
      if (depth === 1 && /^\s*:/.test(text.slice(token.lastIndex))) found.push({ key: JSON.parse(t) as string, line: startLine });
    }
  }
  return found;
}

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;

/** Reads import text; an unreadable text (not JSON, too large, empty) is a validation error on the field `text`. */
export function parseImport(format: ImportFormat, text: string): ParsedImport {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) throw invalid(IMPORT_MESSAGES.tooLarge, { text: IMPORT_MESSAGES.tooLarge });
  let pairs: [string, unknown][];
  let lines: { key: string; line: number }[];
  if (format === 'json') {
    const source = text.replace(/^\ufeff/, '');
    let data: unknown;
    try {
      data = JSON.parse(source);
    } catch {
      throw invalid(IMPORT_MESSAGES.notJson, { text: IMPORT_MESSAGES.notJson });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalid(IMPORT_MESSAGES.notObject, { text: IMPORT_MESSAGES.notObject });
    // JSON.parse keeps "__proto__" as an ordinary own key; Object.entries sees it.
    pairs = Object.entries(data);
    lines = jsonKeyLines(source);
  } else {
    pairs = [...parseDotenv(text)];
    lines = dotenvKeyLines(text);
  }
  if (pairs.length === 0) throw invalid(IMPORT_MESSAGES.empty, { text: IMPORT_MESSAGES.empty });

  // Lines per case-folded key, in file order.
  const linesOf = new Map<string, number[]>();
  for (const { key, line } of lines) {
    const folded = key.toLowerCase();
    linesOf.set(folded, [...(linesOf.get(folded) ?? []), line]);
  }

  const parsed: ParsedImport = { entries: [], invalid: [], duplicates: [] };
  const reported = new Set<string>();
  for (const [key, value] of pairs) {
    const folded = key.toLowerCase();
    const at = linesOf.get(folded) ?? [];
    if (at.length > 1) {
      // One row for all spellings of the key; dotenv and JSON.parse would keep only the last value.
      if (!reported.has(folded)) parsed.duplicates.push({ key, lines: at });
      reported.add(folded);
      continue;
    }
    // A credential-looking NEXT_PUBLIC_ value is refused as the Add dialog refuses it (an import has no override: add that one by hand).
    const reason =
      typeof value === 'string'
        ? (keyProblem(key) ?? valueProblem(value) ?? publicCredentialProblem(key, value))
        : `${IMPORT_MESSAGES.notString} (it is ${kindOf(value)})`;
    if (reason) parsed.invalid.push({ key, line: at[0] ?? null, reason });
    else parsed.entries.push({ key, value: value as string, line: at[0] ?? null });
  }
  return parsed;
}
