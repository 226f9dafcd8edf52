import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scriptNodeFlags } from '../../../test/support/child-processes';
import { shebangNodeFlags } from './import.bench';

describe("the CLI's Node flags", () => {
  it('are the same whether it runs as ahe (its shebang) or as npm run cli, and the import bench starts it with them', () => {
    const shebang = shebangNodeFlags(readFileSync(join(ROOT, 'apps', 'cli', 'src', 'main.ts'), 'utf8'));
    expect(scriptNodeFlags('cli', 'cli')).toEqual(shebang);
    expect(shebang).toContain('--min-semi-space-size=16');
  });

  it('reads a shebang with or without flags, and refuses anything else', () => {
    expect(shebangNodeFlags('#!/usr/bin/env node\nrest')).toEqual([]);
    expect(shebangNodeFlags('#!/usr/bin/env -S node --a=1 --b\n')).toEqual(['--a=1', '--b']);
    expect(shebangNodeFlags('#!/usr/bin/env -S node --a=1')).toEqual(['--a=1']);
    expect(() => shebangNodeFlags("'use strict';\n")).toThrow(/not a node shebang/);
  });
});
