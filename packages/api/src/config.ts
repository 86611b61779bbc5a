import proxyAddr from 'proxy-addr';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const list = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );

// An address to listen on: 127.0.0.1 keeps the service on this machine, 0.0.0.0 (or ::) opens it to the network.
const host = z.union([z.ipv4(), z.ipv6(), z.hostname()], {
  error: 'must be an IP address or a host name (127.0.0.1 for this machine only, 0.0.0.0 for every interface)',
});

/**
 * Which proxies' `X-Forwarded-For` to believe: a hop count (`1`: the one proxy in front), or addresses and
 * CIDRs (`10.0.0.0/8,127.0.0.1`; also `loopback`, `linklocal`, `uniquelocal`). Unset: none, the socket's address.
 */
const trustProxy = z
  .string()
  .transform((v, ctx): number | string[] => {
    if (/^\d+$/.test(v.trim())) return Number(v.trim());
    const addresses = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      proxyAddr.compile(addresses);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `a hop count or addresses/CIDRs: ${(err as Error).message}` });
    }
    return addresses;
  })
  .optional();

const envSchema = z
  .object({
    PORT: port.default(3000),
    HOST: host.default('127.0.0.1'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    APP_URL: z.url().optional(),
    BILLING_BOOTSTRAP_API_KEY: z
      .string()
      .regex(
        /^contox_sk_[A-Za-z0-9_-]{16,}$/,
        'must look like contox_sk_ followed by at least 16 letters, digits, _ or -',
      )
      .optional(),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_/, 'must be a Stripe secret key (sk_…)')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    STRIPE_EMULATOR_PORT: port.default(0),
    ALLOWED_REDIRECT_ORIGINS: list,
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(200),
    BILLING_CATALOG_FILE: z.string().min(1).optional(),
    // Enables the operator API (/api/admin/*) for callers presenting it; printable ASCII, as a header carries it.
    BILLING_ADMIN_TOKEN: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
      .regex(/^[!-~]+$/, 'must be printable ASCII without spaces')
      .optional(),
    // Demo mode: the demo account, its key and a sign-in link at start. Default: on with the embedded database only.
    BILLING_DEMO: z.stringbool().optional(),
    // Bearer token that `/metrics` asks for; without it the metrics are open to whoever reaches the port.
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    TRUST_PROXY: trustProxy,
  })
  .superRefine((config, ctx) => {
    // The bootstrap key is the demo account's: asking for it where no demo is made would be silently ignored.
    if (config.BILLING_BOOTSTRAP_API_KEY && !demoMode(config)) {
      ctx.addIssue({
        code: 'custom',
        path: ['BILLING_BOOTSTRAP_API_KEY'],
        message: 'fixes the demo account’s key, and demo mode is off (DATABASE_URL without BILLING_DEMO=1)',
      });
    }
  });

export type Config = z.infer<typeof envSchema>;

/**
 * Demo mode: the demo account, its key and a sign-in link printed at start. On by default with the embedded
 * database only; BILLING_DEMO=1 turns it on anywhere, BILLING_DEMO=0 off.
 */
export function demoMode(config: Pick<Config, 'BILLING_DEMO' | 'DATABASE_URL'>): boolean {
  return config.BILLING_DEMO ?? !config.DATABASE_URL;
}

/** Validates the environment once at start; every problem is reported by variable name. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
