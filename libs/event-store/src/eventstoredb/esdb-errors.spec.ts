import {
  MaxAppendSizeExceededError, StreamDeletedError, StreamNotFoundError, UnavailableError, WrongExpectedVersionError,
} from '@eventstore/db-client';
import { InvalidEventError, WrongExpectedRevisionError } from '../errors';
import { actualRevisionOf, isStreamNotFound, isWrongExpectedVersion, toPortError } from './esdb-errors';

const wrongVersion = (current: 'no_stream' | bigint) =>
  new WrongExpectedVersionError(undefined, { streamName: 'account-1', expected: 2n, current });

describe('EventStoreDB client errors → the port’s errors', () => {
  it('maps WrongExpectedVersion to WrongExpectedRevisionError with the actual revision', () => {
    const error = toPortError(wrongVersion(5n), 'account-1', 2);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'account-1', expected: 2, actual: 5, code: 'WRONG_EXPECTED_REVISION' });
    expect(toPortError(wrongVersion('no_stream'), 'account-1', 'stream_exists')).toMatchObject({ expected: 'stream_exists', actual: -1 });
    expect(isWrongExpectedVersion(wrongVersion(1n))).toBe(true);
    expect(actualRevisionOf(wrongVersion('no_stream'))).toBe(-1);
  });

  it('maps an over-size batch and a deleted stream to InvalidEventError naming the field', () => {
    expect(toPortError(MaxAppendSizeExceededError.fromMaxAppendSize(1024), 's', 'any')).toMatchObject({
      constructor: InvalidEventError, field: 'events', message: expect.stringContaining('1024 bytes'),
    });
    expect(toPortError(StreamDeletedError.fromStreamName('s'), 's', 'any')).toMatchObject({ constructor: InvalidEventError, field: 'streamId' });
  });

  it('passes transport errors through untouched, for the caller (or the subscription) to retry', () => {
    const unavailable = new UnavailableError();
    expect(toPortError(unavailable, 's', 'any')).toBe(unavailable);
    const plain = new Error('boom');
    expect(toPortError(plain, 's', 'any')).toBe(plain);
    expect(toPortError(undefined, 's', 'any')).toBeUndefined();
    expect(isWrongExpectedVersion(plain)).toBe(false);
  });

  it('reads a missing or deleted stream as not found', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'x'))).toBe(true);
    expect(isStreamNotFound(StreamDeletedError.fromStreamName('x'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
    expect(isStreamNotFound(null)).toBe(false);
  });
});
