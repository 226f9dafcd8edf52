/**
 * Architecture rules, checked in CI (`npm run check:architecture`). The pure core (events/ and
 * libs/domain) must stay free of frameworks, drivers and queues, so that deciders and
 * projections run the same live, in a rebuild and in an as-of replay.
 */
const PURE_CORE = '^(events|libs/domain)/';
const INFRASTRUCTURE = [
  '@nestjs', 'pg', 'pg-.*', '@electric-sql', 'bullmq', 'ioredis', '@eventstore', '@kurrent',
  'nestjs-pino', 'pino', 'pino-http', 'prom-client', 'class-validator', 'class-transformer', 'rxjs',
];

module.exports = {
  forbidden: [
    {
      name: 'pure-core-imports-no-infrastructure',
      severity: 'error',
      comment: 'events/ and libs/domain import nothing but zod, Node built-ins and each other.',
      from: { path: PURE_CORE },
      to: { path: `^(node_modules/)?(${INFRASTRUCTURE.join('|')})(/|$)`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-core-imports-only-core',
      severity: 'error',
      comment: 'The pure core may not reach into apps/ or the adapters in libs/.',
      from: { path: PURE_CORE },
      to: { path: '^(apps|libs/(?!domain/))' },
    },
    {
      name: 'read-models-are-pure',
      severity: 'error',
      comment:
        'Projections and scoring run live, in a rebuild and in an as-of replay: at run time libs/read-models ' +
        'imports only events/, libs/domain, libs/analytics and itself. Types of the engine and the SQL client are fine.',
      from: { path: '^libs/read-models/', pathNot: '\\.(spec|contract)\\.ts$' },
      to: {
        path: `^((node_modules/)?(${INFRASTRUCTURE.join('|')})(/|$)|apps/|libs/(?!(domain|read-models|analytics)/))`,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'analytics-is-pure-math',
      severity: 'error',
      comment: 'libs/analytics (model fitting, backtest metrics) is numbers in, numbers out: no domain, no I/O, no other lib.',
      from: { path: '^libs/analytics/', pathNot: '\\.spec\\.ts$' },
      to: { path: `^((node_modules/)?(${INFRASTRUCTURE.join('|')})(/|$)|apps/|events/|libs/(?!analytics/))`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'escalation-workflow-is-pure',
      severity: 'error',
      comment:
        'The escalation rules and the workflow decider run the same live and in a rebuild: no queue, no database, ' +
        'no framework; events/, libs/domain, libs/read-models (the health fold and score) and the job types only.',
      from: { path: '^libs/escalations/src/workflow/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: `^((node_modules/)?(${INFRASTRUCTURE.join('|')})(/|$)|apps/|libs/(?!(domain|read-models|analytics|escalations/src/(workflow/|escalation-jobs))))`,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'events-do-not-import-domain',
      severity: 'error',
      comment: 'The event contract stands on its own; the domain depends on it, not the reverse.',
      from: { path: '^events/' },
      to: { path: '^libs/domain/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
