import { parseEventData } from './parsing';
import { VALID_PAYLOADS } from './testing/event-fixtures';

function contractIssues(contract: unknown) {
  const result = parseEventData('AccountOpened', { ...VALID_PAYLOADS.AccountOpened, contract });
  return result.ok ? [] : result.issues;
}

describe('AccountOpened contract', () => {
  it('accepts a contract that ends after it starts', () => {
    expect(contractIssues({ startsOn: '2025-01-01', endsOn: '2025-01-02', annualValue: 0 })).toEqual([]);
  });

  it.each([
    ['on the day it starts', '2025-06-30'],
    ['before it starts', '2025-01-01'],
  ])('rejects a contract that ends %s', (_when, endsOn) => {
    expect(contractIssues({ startsOn: '2025-06-30', endsOn, annualValue: 100 })).toEqual([
      { path: 'contract.endsOn', message: 'contract.endsOn must be after contract.startsOn' },
    ]);
  });

  it('compares dates across years, not as unrelated strings', () => {
    expect(contractIssues({ startsOn: '2025-12-31', endsOn: '2026-01-01', annualValue: 100 })).toEqual([]);
    expect(contractIssues({ startsOn: '2026-01-01', endsOn: '2025-12-31', annualValue: 100 })).toHaveLength(1);
  });

  it('names nested fields by their full path', () => {
    expect(contractIssues({ startsOn: '2025-01-01', annualValue: 1.5, renewsAutomatically: true })).toEqual([
      { path: 'contract.endsOn', message: 'contract.endsOn is required' },
      { path: 'contract.annualValue', message: 'contract.annualValue must be an integer' },
      { path: 'contract.renewsAutomatically', message: 'contract.renewsAutomatically is not a known field' },
    ]);
  });

  it('rejects a contract that is not an object', () => {
    expect(contractIssues('2025-01-01/2025-12-31')).toEqual([
      { path: 'contract', message: 'contract must be an object' },
    ]);
  });
});
