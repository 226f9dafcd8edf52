/** The server's time, injected so that tests can pin it; the domain never reads a clock itself. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
