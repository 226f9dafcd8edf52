import { InvalidEventDataError, UnknownEventTypeError, UnsupportedSchemaVersionError } from './errors';
import { decodeEvent } from './parsing';
import { EVENT_REGISTRY, EVENT_TYPES } from './registry';
import { VALID_PAYLOADS } from './testing/event-fixtures';
import { upcast } from './upcasting';

const occurredAt = '2025-03-01T10:00:00Z';

function caught(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('upcast', () => {
  it.each(EVENT_TYPES)('passes a current-version %s through unchanged', (type) => {
    const { schemaVersion } = EVENT_REGISTRY[type];
    const data = VALID_PAYLOADS[type];

    const lifted = upcast({ type, schemaVersion, data, occurredAt });

    expect(lifted).toEqual({ type, schemaVersion, data: VALID_PAYLOADS[type] });
    expect(lifted.data).toBe(data);
  });

  it.each(EVENT_TYPES)('has an upcaster for every older %s version', (type) => {
    const { schemaVersion, upcasters } = EVENT_REGISTRY[type];
    const steps = Array.from({ length: schemaVersion - 1 }, (_, index) => index + 1);

    expect(Object.keys(upcasters).map(Number)).toEqual(steps);
  });

  it('throws UnknownEventTypeError for a type the contract does not know', () => {
    const error = caught(() => upcast({ type: 'AccountMerged', schemaVersion: 1, data: {}, occurredAt }));

    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(error).toMatchObject({ name: 'UnknownEventTypeError', type: 'AccountMerged' });
  });

  it('throws UnsupportedSchemaVersionError for a version newer than this build', () => {
    const read = () =>
      upcast({ type: 'ComplaintRaised', schemaVersion: 3, data: VALID_PAYLOADS.ComplaintRaised, occurredAt });

    expect(caught(read)).toBeInstanceOf(UnsupportedSchemaVersionError);
    expect(caught(read)).toMatchObject({ type: 'ComplaintRaised', schemaVersion: 3, currentVersion: 2 });
    expect(read).toThrow('ComplaintRaised schemaVersion 3 is not supported: versions 1 to 2 are known');
  });

  it.each([0, -1, 1.5, Number.NaN])('throws UnsupportedSchemaVersionError for version %p', (schemaVersion) => {
    const read = () => upcast({ type: 'InvoicePaid', schemaVersion, data: VALID_PAYLOADS.InvoicePaid, occurredAt });

    expect(read).toThrow(UnsupportedSchemaVersionError);
  });
});

describe('decodeEvent', () => {
  it('returns the typed event for valid stored data', () => {
    const event = decodeEvent({ type: 'InvoicePaid', schemaVersion: 1, data: VALID_PAYLOADS.InvoicePaid, occurredAt });

    expect(event).toEqual({ type: 'InvoicePaid', data: VALID_PAYLOADS.InvoicePaid });
  });

  it('throws InvalidEventDataError with the issues when stored data breaks the schema', () => {
    const error = caught(() =>
      decodeEvent({ type: 'InvoicePaid', schemaVersion: 1, data: { invoiceId: 'inv-1', amount: 1.5 }, occurredAt }),
    );

    expect(error).toBeInstanceOf(InvalidEventDataError);
    expect(error).toMatchObject({
      type: 'InvoicePaid',
      issues: [{ path: 'amount', message: 'amount must be an integer' }],
      message: 'Invalid InvoicePaid data: amount must be an integer',
    });
  });

  it('throws the upcast errors for unknown types and too-new versions', () => {
    expect(() => decodeEvent({ type: 'Nope', schemaVersion: 1, data: {}, occurredAt })).toThrow(
      UnknownEventTypeError,
    );
    expect(() => decodeEvent({ type: 'RenewalLost', schemaVersion: 2, data: {}, occurredAt })).toThrow(
      UnsupportedSchemaVersionError,
    );
  });
});
