import { MAX_URL_LENGTH } from '@contox/core';
import { z } from 'zod';
import { text } from '../limits';
import type { PortalRequest, PortalResult } from '../../services/subscriptions/open-billing-portal';
import { urlResult } from './subscriptions.types';
import type { BillingMeta } from '../contract-meta';

export const openPortalMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/portal',
    tags: ['subscription'],
    summary: 'Open the Stripe billing portal: payment methods, invoices, subscription changes',
    protect: true,
  },
  errors: ['stripe_unavailable'],
  examples: {
    input: { returnUrl: 'http://localhost:3000/plan' },
    output: { url: 'https://billing.stripe.com/p/session/test_YWNjdF8xTjJ' },
  },
};

export const openPortalInput = z.object({ returnUrl: text(MAX_URL_LENGTH).optional() }).default({}) satisfies z.ZodType<
  PortalRequest,
  unknown
>;

export const openPortalOutput = urlResult satisfies z.ZodType<PortalResult>;
