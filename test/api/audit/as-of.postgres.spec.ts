import { describeAsOf } from './as-of.api-contract';

jest.setTimeout(180_000);

describe('account state and health as of an instant, on PostgreSQL in a schema of its own', () => describeAsOf('postgres'));
