import { describeAsOf } from './as-of.api-contract';

jest.setTimeout(180_000);

describe('account state and health as of an instant, on the embedded store (in memory)', () => describeAsOf('embedded'));
