ALTER TABLE "credit_payments" ADD COLUMN "checkout_session_id" text;--> statement-breakpoint
ALTER TABLE "credit_payments" ADD COLUMN "payment_method_id" text;--> statement-breakpoint
CREATE INDEX "credit_transactions_account_changes_idx" ON "credit_transactions" USING btree ("account_id","seq") WHERE "credit_transactions"."amount" <> 0;--> statement-breakpoint
ALTER TABLE "credit_payments" ADD CONSTRAINT "credit_payments_checkout_session_id_unique" UNIQUE("checkout_session_id");