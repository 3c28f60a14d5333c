import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Data flows one way (CONVENTIONS.md): scripts/ and bench/ use lib/, never the other way round.
const root = path.resolve(__dirname, '..');
const IMPORT = /(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name) && !path.join(e.parentPath, e.name).includes(`${path.sep}generated${path.sep}`))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('layering', () => {
  it('no module of lib/ imports scripts/, bench/ or tests/', () => {
    const upward: string[] = [];
    for (const file of sources('lib')) {
      for (const [, target] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const resolved = target.startsWith('@/') ? path.join(root, target.slice(2)) : target.startsWith('.') ? path.resolve(path.dirname(file), target) : null;
        const top = resolved && path.relative(root, resolved).split(path.sep)[0];
        if (top === 'scripts' || top === 'bench' || top === 'tests') upward.push(`${path.relative(root, file)} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
