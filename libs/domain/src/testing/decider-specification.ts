import type { AccountEvent } from '@ahe/events';
import { admitEvent } from '../account.admission';
import type { AccountCommand, CommandContext } from '../account.commands';
import { decide } from '../account.decider';
import { evolve } from '../account.evolve';
import { initialState, type AccountState } from '../account.state';
import type { DomainError } from '../domain.errors';

/** The clock of every spec; history defaults to well before it. */
export const SPEC_NOW = '2025-06-01T12:00:00Z';
export const HISTORY_STARTS_AT = '2025-01-01T09:00:00Z';

/** A past event; without `occurredAt` it happened when the history starts. */
export type GivenEvent = AccountEvent & { readonly occurredAt?: string };

export interface ExpectedError {
  readonly code?: string;
  readonly field?: string;
  readonly status?: number;
}

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

export interface Outcome {
  /** The events recorded, exactly. */
  then(expected: readonly AccountEvent[]): void;
  /** The error thrown: its class and, when given, its code, field and status. */
  thenThrows(errorClass: DomainErrorClass, expected?: ExpectedError): DomainError;
}

export function foldGiven(events: readonly GivenEvent[]): AccountState {
  return events.reduce(
    (state, event) => evolve(state, { ...event, occurredAt: event.occurredAt ?? HISTORY_STARTS_AT }),
    initialState(),
  );
}

function contextOf(context: Partial<CommandContext>): CommandContext {
  const now = context.now ?? SPEC_NOW;
  return { ...context, now, occurredAt: context.occurredAt ?? now };
}

function outcomeOf(run: () => readonly AccountEvent[]): Outcome {
  return {
    then(expected) {
      expect(run()).toEqual(expected);
    },
    thenThrows(errorClass, expected = {}) {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(errorClass);
      expect(thrown).toMatchObject(expected);
      return thrown as DomainError;
    },
  };
}

/**
 * Emmett-style decider specs: `given(history).when(command).then(events)`. `when` also
 * checks that every event the command records passes `admitEvent`, and `whenImported`
 * feeds an event straight to `admitEvent`, so import and commands are held to one rule book.
 */
export function given(events: readonly GivenEvent[] = []) {
  const state = foldGiven(events);
  return {
    state,
    when(command: AccountCommand, context: Partial<CommandContext> = {}): Outcome {
      const resolved = contextOf(context);
      return outcomeOf(() => {
        const recorded = decide(command, state, resolved);
        for (const event of recorded) admitEvent(state, event, resolved);
        return recorded;
      });
    },
    whenImported(event: AccountEvent, context: Partial<CommandContext> = {}): Outcome {
      const resolved = contextOf(context);
      return outcomeOf(() => {
        admitEvent(state, event, resolved);
        return [event];
      });
    },
  };
}
