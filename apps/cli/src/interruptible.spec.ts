import { CommandInterruptedError, interruptible } from './interruptible';

describe('interruptible', () => {
  let written: string[];
  let write: jest.SpiedFunction<typeof process.stderr.write>;

  beforeEach(() => {
    written = [];
    write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });

  afterEach(() => write.mockRestore());

  it('says what stopping means at the moment of the signal, and aborts the work with a CommandInterruptedError', async () => {
    let stage = 'validating';
    const reason = await interruptible(
      () => `Stopping while ${stage}`,
      async (signal) => {
        stage = 'appending';
        process.emit('SIGINT', 'SIGINT');
        return signal.reason as unknown;
      },
    );
    expect(reason).toBeInstanceOf(CommandInterruptedError);
    expect((reason as Error).message).toBe('interrupted by SIGINT');
    expect(written.join('')).toBe('\nStopping while appending (Ctrl-C again to quit at once)…\n');
  });

  it('takes a fixed message, and stops listening once the work is done', async () => {
    const listeners = process.listenerCount('SIGTERM');
    await interruptible('Stopping the verification', async () => {
      expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);
      process.emit('SIGTERM', 'SIGTERM');
    });
    expect(written.join('')).toBe('\nStopping the verification (SIGTERM again to quit at once)…\n');
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
  });
});
