import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import { importedModules, sourceFiles } from './testing/source-scan';

// Spelled out of parts so that text scans of the pure core for framework imports do not flag this test.
const quote = "'";

// The contract is shared by every process and by replay: no framework, no I/O client, no clock.
const root = __dirname;


// This file spells out the forbidden patterns, so it is the one file not scanned.
const files = sourceFiles(root)
  .filter((path) => path !== __filename)
  .map((path) => ({
    name: relative(root, path),
    source: readFileSync(path, 'utf8'),
  }));


const allowed = (specifier: string, file: string) =>
  specifier === 'zod' ||
  // A spec may draw its cases with fast-check; no source file may.
  (file.endsWith('.spec.ts') && specifier === 'fast-check') ||
  specifier.startsWith('./') ||
  specifier.startsWith('../') ||
  specifier.startsWith('node:') ||
  builtinModules.includes(specifier);

describe('events/ architecture', () => {
  it('finds the source files it checks', () => {
    expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(['index.ts', 'registry.ts']));
  });

  it.each(files.map((file) => [file.name, file.source]))('%s imports only zod and Node built-ins', (name, source) => {
    expect(importedModules(source).filter((specifier) => !allowed(specifier, name))).toEqual([]);
  });

  it.each(files.map((file) => [file.name, file.source]))('%s never reads the clock', (_name, source) => {
    const code = source.replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/Date\.now\s*\(|new\s+Date\s*\(\s*\)|performance\.now\s*\(/);
  });

  it('recognises a forbidden import and a clock read', () => {
    expect(importedModules(`import { Injectable } from ${quote}@nestjs/common${quote};`).filter((s) => !allowed(s, 'registry.ts'))).toEqual([
      '@nestjs/common',
    ]);
    expect(['fast-check'].filter((specifier) => !allowed(specifier, 'registry.ts'))).toEqual(['fast-check']);
    expect('const at = new Date();').toMatch(/new\s+Date\s*\(\s*\)/);
  });
});
