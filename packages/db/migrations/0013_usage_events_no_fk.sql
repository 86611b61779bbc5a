ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_account_id_accounts_id_fk";
