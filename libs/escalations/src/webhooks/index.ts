export {
  DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
  SIGNATURE_PREFIX,
  signTimestampedBody,
  signWebhookBody,
  verifyTimestampedSignature,
  verifyWebhookSignature,
  type TimestampedSignatureHeaders,
  type TimestampWindow,
} from './webhook-signature';
export { deliverWebhook, displayUrl, WebhookDeliveryError, WEBHOOK_USER_AGENT, type WebhookDelivered, type WebhookDelivery } from './webhook-delivery';
export { webhookDeliveriesFor, WEBHOOK_EVENT_TYPES, type WebhookAccount, type WebhookPayload } from './webhook-deliveries';
