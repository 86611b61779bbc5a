CREATE TABLE "demo_access" (
	"id" text PRIMARY KEY NOT NULL,
	"api_key_id" text NOT NULL,
	"secret" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD COLUMN "api_key_id" text;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD COLUMN "scopes" text[];--> statement-breakpoint
ALTER TABLE "demo_access" ADD CONSTRAINT "demo_access_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD CONSTRAINT "web_sessions_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "web_sessions_member_idx" ON "web_sessions" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "web_sessions_api_key_idx" ON "web_sessions" USING btree ("api_key_id");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_external_id_unique" UNIQUE("external_id");