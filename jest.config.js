// @swc/jest in CommonJS mode: NestJS 12 packages are ESM-only and are loaded through
// Node 20's require(esm); they must be transformed, hence the transformIgnorePatterns. So must
// content-disposition 3 (ESM-only), which @fastify/static requires for Swagger UI at /docs.
const swc = {
  swcrc: false,
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

const moduleNameMapper = {
  '^@ahe/events$': '<rootDir>/events/index.ts',
  '^@ahe/domain$': '<rootDir>/libs/domain/src/index.ts',
  '^@ahe/event-store$': '<rootDir>/libs/event-store/src/index.ts',
  '^@ahe/platform$': '<rootDir>/libs/platform/src/index.ts',
  '^@ahe/platform/config$': '<rootDir>/libs/platform/src/config/config.loader.ts',
  '^@ahe/platform/current-version-reads$': '<rootDir>/libs/platform/src/event-store/current-version-reads.ts',
  '^@ahe/database$': '<rootDir>/libs/database/src/index.ts',
  '^@ahe/import$': '<rootDir>/libs/import/src/index.ts',
  '^@ahe/demo$': '<rootDir>/libs/demo/src/index.ts',
  '^@ahe/projections$': '<rootDir>/libs/projections/src/index.ts',
  '^@ahe/read-models$': '<rootDir>/libs/read-models/src/index.ts',
  '^@ahe/analytics$': '<rootDir>/libs/analytics/src/index.ts',
  '^@ahe/escalations$': '<rootDir>/libs/escalations/src/index.ts',
  // Dynamic imports name the built file (`import('./x.js')`, as nodenext wants); tests run the source.
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/|(@fastify/static/node_modules/)?content-disposition/)'],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // PGlite's first start runs initdb (~5 s, more on a loaded machine).
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/events/**/*.spec.ts', '<rootDir>/libs/domain/**/*.spec.ts', '<rootDir>/libs/analytics/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/libs/!(domain|analytics)/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/test/**/*.spec.ts',
      ],
    },
  ],
};
