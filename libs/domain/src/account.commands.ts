import type {
  ContactChannel,
  ContactDirection,
  EscalationAcknowledged,
  EscalationOpened,
  EscalationResolved,
  Severity,
  SurveyKind,
} from '@ahe/events';

/**
 * What a writer asks of an account. Field names are those of the API bodies and of the event
 * payloads they become; the payload schemas in `@ahe/events` decide what is well-formed.
 */
export type AccountCommand =
  | {
      readonly type: 'OpenAccount';
      readonly data: {
        readonly accountId: string;
        readonly name: string;
        readonly segment: string;
        readonly managerId: string;
        readonly currency: string;
        readonly contract?: { readonly startsOn: string; readonly endsOn: string; readonly annualValue: number };
      };
    }
  | { readonly type: 'AssignManager'; readonly data: { readonly managerId: string } }
  | {
      readonly type: 'LogContact';
      readonly data: {
        readonly channel: ContactChannel;
        readonly direction: ContactDirection;
        readonly summary: string;
        readonly sentiment?: number;
      };
    }
  | {
      readonly type: 'RaiseComplaint';
      readonly data: {
        readonly complaintId: string;
        readonly severity: Severity;
        readonly category: string;
        readonly description: string;
        /** Defaults to `occurredAt` + `DEFAULT_SLA_HOURS[severity]`. */
        readonly slaDueAt?: string;
      };
    }
  | { readonly type: 'ResolveComplaint'; readonly data: { readonly complaintId: string; readonly resolution: string } }
  | {
      readonly type: 'RecordSurvey';
      readonly data: { readonly kind: SurveyKind; readonly score: number; readonly comment?: string };
    }
  | {
      readonly type: 'IssueInvoice';
      readonly data: { readonly invoiceId: string; readonly amount: number; readonly dueOn: string };
    }
  | { readonly type: 'RecordPayment'; readonly data: { readonly invoiceId: string; readonly amount: number } }
  | {
      readonly type: 'RecordRenewal';
      readonly data:
        /** Defaults: the contract a year longer, at its current value. */
        | { readonly outcome: 'won'; readonly endsOn?: string; readonly annualValue?: number }
        /** Default reason: RENEWAL_LOST_REASON_NOT_GIVEN. */
        | { readonly outcome: 'lost'; readonly reason?: string };
    }
  | { readonly type: 'WinExpansion'; readonly data: { readonly amount: number; readonly description: string } }
  | { readonly type: 'CloseAccount'; readonly data: { readonly reason: string } }
  | { readonly type: 'OpenEscalation'; readonly data: EscalationOpened }
  | { readonly type: 'AcknowledgeEscalation'; readonly data: EscalationAcknowledged }
  | { readonly type: 'ResolveEscalation'; readonly data: EscalationResolved };

export type AccountCommandType = AccountCommand['type'];
export type AccountCommandOf<Type extends AccountCommandType> = Extract<AccountCommand, { type: Type }>;

/** Time never comes from the clock inside the domain: the caller passes it in. */
export interface CommandContext {
  /** The server's current time, ISO 8601 UTC. */
  readonly now: string;
  /** Business time of the change, ISO 8601 UTC; the caller defaults it to `now`. */
  readonly occurredAt: string;
  /** Only for error messages ("Account acme does not exist"). */
  readonly accountId?: string;
}
