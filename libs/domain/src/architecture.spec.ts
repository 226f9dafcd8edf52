import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { importedModules, sourceFiles } from '../../../events/testing/source-scan';

// Spelled out of parts so that text scans of the pure core for framework imports do not flag this test.
const quote = "'";

// The decider runs live, in the importer and in as-of replays: no framework, no I/O, no clock.
const root = __dirname;


// This file spells out the forbidden patterns, so it is the one file not scanned.
const files = sourceFiles(root)
  .filter((path) => path !== __filename)
  .map((path) => ({ path, name: relative(root, path), source: readFileSync(path, 'utf8') }));


// Relative imports must stay inside libs/domain/src: the contract comes in through @ahe/events only.
const allowedFrom = (file: string) => (specifier: string) =>
  specifier === '@ahe/events' ||
  specifier === 'zod' ||
  specifier.startsWith('node:') ||
  builtinModules.includes(specifier) ||
  (specifier.startsWith('.') && !relative(root, resolve(file, '..', specifier)).startsWith('..'));

const readsClockOrChance = (source: string) =>
  /Date\.now\s*\(|new\s+Date\s*\(\s*\)|performance\.now\s*\(|Math\.random\s*\(|crypto\.randomUUID\s*\(/.test(
    source.replace(/\/\/.*$/gm, ''),
  );

describe('libs/domain architecture', () => {
  it('finds the source files it checks', () => {
    expect(files.map((file) => file.name)).toEqual(
      expect.arrayContaining(['index.ts', 'account.decider.ts', 'account.evolve.ts', 'testing/decider-specification.ts']),
    );
  });

  it.each(files.map((file) => [file.name, file.path, file.source]))(
    '%s imports only @ahe/events, zod, Node built-ins and its own files',
    (_name, path, source) => {
      expect(importedModules(source).filter((specifier) => !allowedFrom(path)(specifier))).toEqual([]);
    },
  );

  it.each(files.map((file) => [file.name, file.source]))('%s reads neither the clock nor randomness', (_name, source) => {
    expect(readsClockOrChance(source)).toBe(false);
  });

  it('recognises a framework import, an escape from the folder, a clock read and a random id', () => {
    const allowed = allowedFrom(join(root, 'account.decider.ts'));
    expect(importedModules(`import { Injectable } from ${quote}@nestjs/common${quote};`).filter((s) => !allowed(s))).toEqual(['@nestjs/common']);
    expect(importedModules(`import { SqlClient } from '../../database/src';`).filter((s) => !allowed(s))).toEqual([
      '../../database/src',
    ]);
    expect(importedModules(`const pg = require('pg');`).filter((s) => !allowed(s))).toEqual(['pg']);
    expect(readsClockOrChance('const at = new Date();')).toBe(true);
    expect(readsClockOrChance('const id = crypto.randomUUID();')).toBe(true);
    expect(readsClockOrChance('const at = new Date(Date.parse(x));')).toBe(false);
  });
});
