DROP INDEX "credit_transactions_account_seq_idx";--> statement-breakpoint
CREATE INDEX "credit_transactions_account_seq_idx" ON "credit_transactions" USING btree ("account_id","seq");