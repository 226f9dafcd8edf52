import { signTimestampedBody, signWebhookBody } from './webhook-signature';

export const WEBHOOK_USER_AGENT = 'account-health-engine';

export interface WebhookDelivery {
  readonly url: string;
  /** Sent as is: the signature covers these exact bytes. */
  readonly body: string;
  readonly deliveryId: string;
  readonly secret: string;
  /** For the whole exchange, the response body included. */
  readonly timeoutMs: number;
}

export interface WebhookDelivered {
  readonly status: number;
  readonly ms: number;
}

/**
 * A delivery the receiver did not accept: a non-2xx answer (`status`), or no answer at all
 * (`status` null: timeout, refused connection, bad address). The url is shown without
 * credentials, query or fragment, which often carry tokens.
 */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';

  constructor(
    readonly url: string,
    readonly status: number | null,
    readonly reason: string,
  ) {
    super(`webhook ${url}: ${reason}`);
  }
}

// What a receiver said about a refusal helps whoever reads the dead-letter queue; more is noise.
const RESPONSE_EXCERPT_CHARS = 200;

/**
 * One signed POST. Resolves on a 2xx; throws WebhookDeliveryError otherwise, so the queue
 * retries. Redirects are not followed: a receiver that moved answers 3xx, which is a failure
 * to fix in ESCALATION_WEBHOOK_URLS rather than a POST silently turned into a GET.
 * X-Signature stays for the receivers that verify it; X-Signature-Timestamped is made afresh
 * for each attempt, so a receiver can refuse old timestamps while the body, and with it the
 * deliveryId it dedupes on, stays the same.
 */
export async function deliverWebhook(delivery: WebhookDelivery): Promise<WebhookDelivered> {
  const url = displayUrl(delivery.url);
  const started = performance.now();
  const timestampSeconds = Math.floor(Date.now() / 1000);
  let response: Response;
  let text: string;
  try {
    const target = withoutCredentials(delivery.url);
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Signature': signWebhookBody(delivery.body, delivery.secret),
        'X-Delivery-Timestamp': String(timestampSeconds),
        'X-Signature-Timestamped': signTimestampedBody(timestampSeconds, delivery.body, delivery.secret),
        'X-Delivery-Id': delivery.deliveryId,
        'User-Agent': WEBHOOK_USER_AGENT,
        ...target.authorization,
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(delivery.timeoutMs),
    });
    // Read to the end: it frees the connection, and the timeout covers a receiver that stalls mid-answer.
    text = await response.text();
  } catch (error) {
    throw new WebhookDeliveryError(url, null, networkReason(error, delivery.url, delivery.timeoutMs));
  }
  const ms = Math.round(performance.now() - started);
  if (response.status < 200 || response.status > 299) {
    const excerpt = text.trim().slice(0, RESPONSE_EXCERPT_CHARS);
    const statusText = response.statusText === '' ? '' : ` ${response.statusText}`;
    throw new WebhookDeliveryError(url, response.status, `answered ${response.status}${statusText} after ${ms} ms${excerpt === '' ? '' : `: ${excerpt}`}`);
  }
  return { status: response.status, ms };
}

// Checked by name: the DOMException of a timeout may come from another realm (e.g. a test VM), failing instanceof Error.
const nameOf = (error: unknown): string | undefined => (typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined);

function networkReason(error: unknown, rawUrl: string, timeoutMs: number): string {
  const name = nameOf(error);
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms (timed out)`;
  const { code, message } = ((error as { cause?: { code?: string; message?: string } } | null)?.cause ?? {});
  const detail = code ?? message ?? `${name ?? 'Error'}: ${(error as { message?: string } | null)?.message ?? String(error)}`;
  // Error texts may quote the url as configured, secrets and all.
  return `not delivered: ${detail.split(rawUrl).join(displayUrl(rawUrl))}`;
}

/**
 * fetch refuses a URL with user:password@ in it; receivers that use Basic authentication are
 * configured that way, so the credentials move to an Authorization header.
 */
function withoutCredentials(raw: string): { readonly url: string; readonly authorization: Record<string, string> } {
  const url = new URL(raw);
  if (url.username === '' && url.password === '') return { url: raw, authorization: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: { Authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` } };
}

/** scheme://host[:port]/path: no user, password, query or fragment. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(an invalid url)';
  }
}
