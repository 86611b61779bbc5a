import { MAX_CATALOG_ID_LENGTH, MAX_URL_LENGTH } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { CreditCheckoutRequest } from '../../services/credits/credit-checkout';
import { text } from '../limits';
import { urlResult } from '../subscriptions/subscriptions.types';

export const createCreditCheckoutMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/checkout',
    tags: ['credits'],
    summary:
      'Buy a credit pack on a Stripe Checkout page (payment mode): any card, 3-D Secure included, no saved card needed. The pack is credited once, when it is paid. Stripe returns the payer to successUrl with session_id added.',
    protect: true,
    errorResponses: {
      400: 'Unknown pack, or a redirect URL off this app',
      403: 'Free plan, or not the account owner',
      503: 'Stripe unavailable',
    },
  },
};

export const createCreditCheckoutInput = z.object({
  packId: text(MAX_CATALOG_ID_LENGTH),
  successUrl: text(MAX_URL_LENGTH).optional(),
  cancelUrl: text(MAX_URL_LENGTH).optional(),
}) satisfies z.ZodType<CreditCheckoutRequest>;

export const createCreditCheckoutOutput = urlResult;
