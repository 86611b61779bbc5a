import { createWebhookEndpoint } from './create-webhook-endpoint';
import { deleteWebhookEndpoint } from './delete-webhook-endpoint';
import { listEvents } from './list-events';
import { listWebhookEndpoints } from './list-webhook-endpoints';
import { redeliverEvent } from './redeliver-event';

/** The operator's outgoing webhooks: endpoints, and the event log with redelivery. */
export const adminWebhooksRouter = {
  webhookEndpoints: {
    create: createWebhookEndpoint,
    list: listWebhookEndpoints,
    remove: deleteWebhookEndpoint,
  },
  events: {
    list: listEvents,
    redeliver: redeliverEvent,
  },
};
