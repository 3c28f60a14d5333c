import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Keyhold runs on Node 20 (package.json engines). tsconfig's `lib` names only
// what Node 20 has, so a newer built-in (Map.groupBy, Promise.withResolvers,
// Set#union) fails the typecheck instead of a request in production.
const root = path.resolve(__dirname, '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

// Libraries past ES2023 that Node 20 does have, each with a built-in it brings.
const NEWER_IN_NODE_20: Record<string, () => unknown> = { 'es2024.string': () => String.prototype.isWellFormed };

describe('the JavaScript Keyhold is typed against', () => {
  it('is what the oldest Node it supports runs', () => {
    // The same range as Prisma 7's; also where process.getBuiltinModule (the CLI) exists.
    expect(read('package.json').engines.node).toMatch(/^\^20\./);
    const libs: string[] = read('tsconfig.json').compilerOptions.lib.map((lib: string) => lib.toLowerCase());
    for (const lib of libs) {
      const year = /^es(\d{4}|next)/.exec(lib)?.[1];
      if (!year || (year !== 'next' && Number(year) <= 2023)) continue;
      expect(Object.keys(NEWER_IN_NODE_20), `tsconfig lib "${lib}" is newer than Node 20`).toContain(lib);
      expect(NEWER_IN_NODE_20[lib](), lib).toBeTypeOf('function');
    }
  });
});
