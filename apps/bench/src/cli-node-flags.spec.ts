import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shebangNodeFlags } from './import.bench';

const ROOT = join(__dirname, '..', '..', '..');

describe("the CLI's Node flags", () => {
  it('are the same whether it runs as ahe (its shebang) or as npm run cli, and the import bench starts it with them', () => {
    const shebang = shebangNodeFlags(readFileSync(join(ROOT, 'apps', 'cli', 'src', 'main.ts'), 'utf8'));
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.cli!;
    const fromScript = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/apps\/cli\/src\/main\.js/.exec(script);
    expect(fromScript).not.toBeNull();
    expect(fromScript![1]!.split(' ').filter((flag) => flag !== '')).toEqual(shebang);
    expect(shebang).toContain('--min-semi-space-size=16');
  });

  it('reads a shebang with or without flags, and refuses anything else', () => {
    expect(shebangNodeFlags('#!/usr/bin/env node\nrest')).toEqual([]);
    expect(shebangNodeFlags('#!/usr/bin/env -S node --a=1 --b\n')).toEqual(['--a=1', '--b']);
    expect(shebangNodeFlags('#!/usr/bin/env -S node --a=1')).toEqual(['--a=1']);
    expect(() => shebangNodeFlags("'use strict';\n")).toThrow(/not a node shebang/);
  });
});
