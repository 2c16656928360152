import { z } from 'zod';

/**
 * Every setting the app reads, validated once at boot. A missing or malformed value stops the
 * process with a message that names it (see `parseConfig`).
 */
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const keyList = z
  .string()
  .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$/, 'expected "id:base64key[,id:base64key…]"');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  ALLOW_INSECURE_HTTP: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  DATABASE_REPLICA_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  MIGRATIONS_RUN: bool.default(true),
  SEED_DEMO: bool.optional(),
  DEMO_PASSWORD: z.string().min(12).optional(),
  DATA_DIR: z.string().default('.data'),
  JWT_SECRET: z.string().min(32).optional(),
  JWT_ISSUER: z.string().default('tawjih'),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  ENCRYPTION_KEYS: keyList.optional(),
  ENCRYPTION_ACTIVE_KEY: z.string().optional(),
  BLIND_INDEX_KEY: z.string().min(32).optional(),
  MFA_REQUIRED: bool.default(false),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('1mb'),
  RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().default('Tawjih <no-reply@tawjih.test>'),
  SMTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SMTP_GREETING_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SMTP_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  OUTBOX_BATCH: z.coerce.number().int().min(1).max(100).default(5),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(2).default(300),
  RETENTION_MONTHS: z.coerce.number().int().min(1).default(60),
  SUPPRESSION_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  DHIS2_MAPPING_FILE: z.string().optional(),
  JOBS_ENABLED: bool.default(true),
});

export type Env = z.infer<typeof configSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  port: number;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  /** Write logs to this file instead of stdout (the test run uses it to search the logs). */
  logFile?: string;
  dataDir: string;
  database: {
    url?: string;
    /** A streaming replica for lag-tolerant reads (reports, exports, HSDS, the public directory). */
    replicaUrl?: string;
    poolSize: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    migrationsRun: boolean;
  };
  seedDemo?: boolean;
  demoPassword?: string;
  auth: {
    jwtSecret: string;
    issuer: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    mfaRequired: boolean;
    maxFailures: number;
    lockMinutes: number;
    loginRatePerMinute: number;
  };
  crypto: { keys: Record<string, string>; activeKey: string; blindIndexKey: string };
  /** `allowInsecure`: production over plain HTTP was explicitly allowed (ALLOW_INSECURE_HTTP); logged at boot. */
  http: { bodyLimit: string; ratePerMinute: number; allowInsecure: boolean };
  mail: {
    smtpUrl?: string;
    from: string;
    connectionTimeoutMs: number;
    greetingTimeoutMs: number;
    socketTimeoutMs: number;
  };
  /** Outbox claims: `batch` messages per claim, held for `leaseSeconds` (renewed while sending). */
  outbox: { batch: number; leaseSeconds: number };
  retentionMonths: number;
  suppressionThreshold: number;
  /** JSON file mapping indicators and places to DHIS2 (see reporting/exports/dhis2.export.ts). */
  dhis2MappingFile?: string;
  jobsEnabled: boolean;
}

export class ConfigError extends Error {}

/**
 * The longest one SMTP send can take with these timeouts: connecting, the greeting, then the
 * socket's idle timeout allowed twice (the envelope and the data each wait for an answer).
 */
export function worstSendMs(m: { connectionTimeoutMs: number; greetingTimeoutMs: number; socketTimeoutMs: number }): number {
  return m.connectionTimeoutMs + m.greetingTimeoutMs + 2 * m.socketTimeoutMs;
}

/** Secrets the app may generate for itself outside production (see dev-secrets.ts). */
export interface GeneratedSecrets {
  JWT_SECRET: string;
  ENCRYPTION_KEYS: string;
  BLIND_INDEX_KEY: string;
}

export function parseConfig(
  source: Record<string, string | undefined>,
  devSecrets?: (dataDir: string) => GeneratedSecrets,
): AppConfig {
  // Empty strings count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  let e = parsed.data;
  const missingSecrets = (['JWT_SECRET', 'ENCRYPTION_KEYS', 'BLIND_INDEX_KEY'] as const).filter((k) => !e[k]);
  if (missingSecrets.length) {
    if (e.NODE_ENV === 'production' || !devSecrets) {
      throw new ConfigError(`Invalid configuration:\n${missingSecrets.map((k) => `  ${k}: required`).join('\n')}`);
    }
    e = { ...devSecrets(e.DATA_DIR), ...e };
  }
  // Production serves people's data: without https, cookies lack Secure and there is no HSTS.
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL?.startsWith('https://') && !e.ALLOW_INSECURE_HTTP) {
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_URL: production requires an https:// URL (or ALLOW_INSECURE_HTTP=true behind a TLS-terminating proxy on a private network)',
    );
  }
  const keys = Object.fromEntries(e.ENCRYPTION_KEYS!.split(',').map((pair) => pair.split(':') as [string, string]));
  for (const [id, key] of Object.entries(keys)) {
    if (Buffer.from(key, 'base64').length !== 32) {
      throw new ConfigError(`Invalid configuration:\n  ENCRYPTION_KEYS: key "${id}" must be 32 bytes, base64`);
    }
  }
  const mail = {
    smtpUrl: e.SMTP_URL,
    from: e.MAIL_FROM,
    connectionTimeoutMs: e.SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeoutMs: e.SMTP_GREETING_TIMEOUT_MS,
    socketTimeoutMs: e.SMTP_SOCKET_TIMEOUT_MS,
  };
  // A claim must outlive the slowest send by a wide margin, or another instance sends it again.
  if (e.OUTBOX_LEASE_SECONDS * 1000 < 2 * worstSendMs(mail)) {
    throw new ConfigError(
      `Invalid configuration:\n  OUTBOX_LEASE_SECONDS: must be at least twice the slowest possible send (${Math.ceil((2 * worstSendMs(mail)) / 1000)} s with these SMTP timeouts)`,
    );
  }
  const activeKey = e.ENCRYPTION_ACTIVE_KEY ?? Object.keys(keys).at(-1)!;
  if (!keys[activeKey]) {
    throw new ConfigError(`Invalid configuration:\n  ENCRYPTION_ACTIVE_KEY: "${activeKey}" is not in ENCRYPTION_KEYS`);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    dataDir: e.DATA_DIR,
    database: {
      url: e.DATABASE_URL,
      replicaUrl: e.DATABASE_REPLICA_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      migrationsRun: e.MIGRATIONS_RUN,
    },
    seedDemo: e.SEED_DEMO,
    demoPassword: e.DEMO_PASSWORD,
    auth: {
      jwtSecret: e.JWT_SECRET!,
      issuer: e.JWT_ISSUER,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      refreshTtlDays: e.REFRESH_TTL_DAYS,
      mfaRequired: e.MFA_REQUIRED,
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockMinutes: e.LOGIN_LOCK_MINUTES,
      loginRatePerMinute: e.LOGIN_RATE_PER_MINUTE,
    },
    crypto: { keys, activeKey, blindIndexKey: e.BLIND_INDEX_KEY! },
    http: { bodyLimit: e.BODY_LIMIT, ratePerMinute: e.RATE_PER_MINUTE, allowInsecure: e.ALLOW_INSECURE_HTTP },
    mail,
    outbox: { batch: e.OUTBOX_BATCH, leaseSeconds: e.OUTBOX_LEASE_SECONDS },
    retentionMonths: e.RETENTION_MONTHS,
    suppressionThreshold: e.SUPPRESSION_THRESHOLD,
    dhis2MappingFile: e.DHIS2_MAPPING_FILE,
    jobsEnabled: e.JOBS_ENABLED,
  };
}
