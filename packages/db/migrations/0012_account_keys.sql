-- Every key of a table distributed by account leads with the account (docs/scaling.md, checked by
-- packages/api/test/documented/distribution-keys.test.ts): ids become (account_id, id), Stripe ids and ledger
-- references unique per account, and deliveries and attempts carry their event's account.
ALTER TABLE "webhook_attempts" DROP CONSTRAINT "webhook_attempts_event_id_endpoint_id_webhook_deliveries_event_id_endpoint_id_fk";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_event_id_webhook_events_id_fk";--> statement-breakpoint
ALTER TABLE "webhook_attempts" DROP CONSTRAINT "webhook_attempts_event_id_endpoint_id_attempt_pk";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_event_id_endpoint_id_pk";--> statement-breakpoint
ALTER TABLE "credit_payments" DROP CONSTRAINT "credit_payments_payment_intent_id_unique";--> statement-breakpoint
ALTER TABLE "credit_payments" DROP CONSTRAINT "credit_payments_checkout_session_id_unique";--> statement-breakpoint
ALTER TABLE "credit_transactions" DROP CONSTRAINT "credit_transactions_external_ref_unique";--> statement-breakpoint
ALTER TABLE "subscriptions" DROP CONSTRAINT "subscriptions_stripe_subscription_id_unique";--> statement-breakpoint
ALTER TABLE "credit_payments" DROP CONSTRAINT "credit_payments_pkey";--> statement-breakpoint
ALTER TABLE "credit_transactions" DROP CONSTRAINT "credit_transactions_pkey";--> statement-breakpoint
ALTER TABLE "subscriptions" DROP CONSTRAINT "subscriptions_pkey";--> statement-breakpoint
ALTER TABLE "webhook_events" DROP CONSTRAINT "webhook_events_pkey";--> statement-breakpoint
DROP INDEX "subscriptions_account_idx";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "account_id" text;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "account_id" text;--> statement-breakpoint
UPDATE "webhook_deliveries" d SET "account_id" = e."account_id" FROM "webhook_events" e WHERE e."id" = d."event_id";--> statement-breakpoint
UPDATE "webhook_attempts" a SET "account_id" = e."account_id" FROM "webhook_events" e WHERE e."id" = a."event_id";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ALTER COLUMN "account_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ALTER COLUMN "account_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_payments" ADD CONSTRAINT "credit_payments_account_id_id_pk" PRIMARY KEY("account_id","id");--> statement-breakpoint
ALTER TABLE "credit_transactions" ADD CONSTRAINT "credit_transactions_account_id_id_pk" PRIMARY KEY("account_id","id");--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_account_id_id_pk" PRIMARY KEY("account_id","id");--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_account_id_id_pk" PRIMARY KEY("account_id","id");--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_account_id_event_id_endpoint_id_pk" PRIMARY KEY("account_id","event_id","endpoint_id");--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_account_id_event_id_endpoint_id_attempt_pk" PRIMARY KEY("account_id","event_id","endpoint_id","attempt");--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_fk" FOREIGN KEY ("account_id","event_id") REFERENCES "public"."webhook_events"("account_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_fk" FOREIGN KEY ("account_id","event_id","endpoint_id") REFERENCES "public"."webhook_deliveries"("account_id","event_id","endpoint_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credit_payments_account_payment_intent_uq" ON "credit_payments" USING btree ("account_id","payment_intent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_payments_account_checkout_session_uq" ON "credit_payments" USING btree ("account_id","checkout_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_transactions_account_external_ref_uq" ON "credit_transactions" USING btree ("account_id","external_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_account_stripe_subscription_uq" ON "subscriptions" USING btree ("account_id","stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "credit_payments_id_idx" ON "credit_payments" USING btree ("id");--> statement-breakpoint
CREATE INDEX "credit_payments_checkout_session_idx" ON "credit_payments" USING btree ("checkout_session_id") WHERE "credit_payments"."checkout_session_id" is not null;--> statement-breakpoint
CREATE INDEX "subscriptions_stripe_subscription_idx" ON "subscriptions" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "webhook_events_id_idx" ON "webhook_events" USING btree ("id");
