import { ForeignEventError } from '@ahe/event-store';
import { toErrorBody } from './error-body';

describe('the event store errors as the API answers them', () => {
  it('answers an event another client wrote into an account stream as 409 STREAM_BROKEN naming the stream and revision', () => {
    const error = new ForeignEventError('account-acme-1', 3, 'no ahe.envelope/1 metadata');
    expect(toErrorBody(error)).toEqual({
      unexpected: false,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'The stream account-acme-1 cannot be read: its event at revision 3 was not written by the engine; '
          + 'GET /v1/accounts/acme-1/verify names where its hash chain breaks',
        code: 'STREAM_BROKEN',
        details: {
          streamId: 'account-acme-1',
          accountId: 'acme-1',
          revision: 3,
          reason: 'account-acme-1@3 was not written by the engine (no ahe.envelope/1 metadata)',
          verify: '/v1/accounts/acme-1/verify',
        },
      },
    });
  });

  it('names a stream that is not an account stream without pointing at a verify route', () => {
    const { body } = toErrorBody(new ForeignEventError('orders-7', 0, 'no ahe.envelope/1 metadata'));
    expect(body).toMatchObject({ statusCode: 409, code: 'STREAM_BROKEN', details: { streamId: 'orders-7', revision: 0 } });
    expect(body.message).not.toContain('/verify');
    expect(body.details).not.toHaveProperty('accountId');
  });
});
