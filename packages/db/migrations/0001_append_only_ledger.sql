-- The ledger is append-only: corrections are new rows, never edits.
CREATE FUNCTION credit_transactions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit_transactions is append-only: % refused', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_transactions_append_only
  BEFORE UPDATE OR DELETE ON credit_transactions
  FOR EACH ROW EXECUTE FUNCTION credit_transactions_refuse_change();
--> statement-breakpoint
CREATE TRIGGER credit_transactions_no_truncate
  BEFORE TRUNCATE ON credit_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION credit_transactions_refuse_change();
