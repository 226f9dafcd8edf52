import { describeExportMemory } from './export-memory.api-contract';

jest.setTimeout(300_000);

describe('export of a stream of 100,000 events on the embedded store', () => describeExportMemory('embedded'));
