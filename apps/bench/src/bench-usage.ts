import { DEFAULT_COMPARE_TOLERANCE } from './bench-compare';
import { SUITE_NAMES } from './bench-options';
import { SIZE_FLAGS } from './bench-size-flags';

export function benchUsage(): string {
  const sizes = Object.entries(SIZE_FLAGS).map(([name, flag]) => `  --${`${name} <n>`.padEnd(24)} ${flag.description} (default ${flag.standard}, quick ${flag.quick})`);
  return [
    'Usage: npm run bench -- [flags]   or   ahe bench [flags]',
    '',
    'Prints one markdown table: every figure beside a reference measured in the same run, its goal, met or not.',
    '',
    '  --quick                    small sizes, one run, every suite in this one process: the whole table in under a minute (a smoke check)',
    '  --embedded                 on the embedded store (PGlite, as npm start runs by default) instead of PostgreSQL: every line but the',
    '                             escalations (on BullMQ and Redis, as in server mode), their references and the read data set included',
    '  --embedded-thread <t>      with --embedded: where PGlite runs, worker (a thread of its own, the default, as EMBEDDED_DB_THREAD)',
    '                             or main (the thread of the API and the projections)',
    '  --per-projection           the projections suite also rebuilds each read model alone, a line each (no goal): which one costs what',
    `  --suite <names>            a subset, comma-separated: ${SUITE_NAMES.join(', ')} (default all)`,
    '  --in-process               every suite in this one process (by default each runs in a Node process of its own, so none inherits',
    '                             another\'s heap or JIT feedback); for a --cpu-prof of a whole run',
    '  --own-processes            each suite in a Node process of its own even with --quick',
    '  --json <file>              also write the rows, machine and settings as JSON',
    '  --chart <file.svg>         also draw the table as a chart: each line against its reference and its goal (SVG)',
    '  --from-json <file>         measure nothing: print the table of an earlier run\'s --json file, to draw it (--chart) or compare it',
    '  --compare <file>           after the table, each line against the same line of an earlier run\'s --json file: then, now, the',
    '                             change, and worse / better / within noise (the two runs\' min–max spreads do not overlap / overlap)',
    `  --compare-tolerance <%>    with --compare: the least spread a figure is given around its median (default ${DEFAULT_COMPARE_TOLERANCE * 100})`,
    ...sizes,
    '',
    'Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), REDIS_URL (default redis://127.0.0.1:6379).',
    'One run at a time against a database: a second is refused, naming the first. A run removes what runs stopped before their',
    'clean-up left (their schemas, BullMQ keys and temporary folders); the shared data sets are kept.',
    'Exit codes: 0 every suite ran, 1 a suite failed (its row says why), 2 bad flags or an output file that cannot be written,',
    '3 another run is measuring against the database, 4 every suite ran but a line is worse than in the --compare run.',
  ].join('\n');
}
