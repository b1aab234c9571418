/** The service's own settings (beyond the kit's configuration) and how the environment sets them. */
import { ConfigError, type Env } from '@lern/kit';
import type { OtpOptions } from './otp/operations.ts';

/** SMTP relay that email is sent through. */
export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** Sender when a notification names none. */
  from: string;
}

/** SMS provider HTTP API (MSG91-like): a POST of JSON to `url`. */
export interface SmsOptions {
  url: string;
  /** Sent as the `authkey` header. */
  authKey?: string;
  /** Sender id shown to recipients. */
  sender: string;
  /** Country code the provider prefixes. */
  country: string;
}

/** Retries of a synchronous delivery before it goes to the dead-letter topic. */
export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
}

export interface NotificationOptions {
  smtp: SmtpOptions | null;
  sms: SmsOptions | null;
  retry: RetryOptions;
  /** Entries a user's feed keeps; the oldest fall off (upstream feed_limit). */
  feedLimit: number;
  otp: OtpOptions;
}

function whole(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(name, `must be a whole number >= ${min}, got '${raw}'`);
  return n;
}

/** The options the environment sets (LERN_NOTIFICATION_*; docs/configuration.md, "Notification"). */
export function resolveOptions(env: Env = process.env): NotificationOptions {
  const smtpHost = env.LERN_NOTIFICATION_SMTP_HOST;
  const smsUrl = env.LERN_NOTIFICATION_SMS_URL;
  if (smsUrl && !/^https?:\/\//.test(smsUrl)) throw new ConfigError('LERN_NOTIFICATION_SMS_URL', `must be an http(s) URL, got '${smsUrl}'`);
  return {
    smtp: smtpHost
      ? {
          host: smtpHost,
          port: whole(env, 'LERN_NOTIFICATION_SMTP_PORT', 587, 1),
          secure: env.LERN_NOTIFICATION_SMTP_SECURE === 'true',
          ...(env.LERN_NOTIFICATION_SMTP_USER ? { user: env.LERN_NOTIFICATION_SMTP_USER } : {}),
          ...(env.LERN_NOTIFICATION_SMTP_PASSWORD ? { password: env.LERN_NOTIFICATION_SMTP_PASSWORD } : {}),
          from: env.LERN_NOTIFICATION_SMTP_FROM || 'no-reply@example.org',
        }
      : null,
    sms: smsUrl
      ? {
          url: smsUrl,
          ...(env.LERN_NOTIFICATION_SMS_AUTH_KEY ? { authKey: env.LERN_NOTIFICATION_SMS_AUTH_KEY } : {}),
          sender: env.LERN_NOTIFICATION_SMS_SENDER || 'SUNBRD',
          country: env.LERN_NOTIFICATION_SMS_COUNTRY || '91',
        }
      : null,
    retry: {
      attempts: whole(env, 'LERN_NOTIFICATION_RETRY_ATTEMPTS', 3, 1),
      baseDelayMs: whole(env, 'LERN_NOTIFICATION_RETRY_BASE_MS', 500, 0),
    },
    feedLimit: whole(env, 'LERN_NOTIFICATION_FEED_LIMIT', 100, 1),
    otp: {
      secret: env.LERN_NOTIFICATION_OTP_SECRET || null,
      length: whole(env, 'LERN_NOTIFICATION_OTP_LENGTH', 6, 4),
      expiryMinutes: whole(env, 'LERN_NOTIFICATION_OTP_EXPIRY_MINUTES', 10, 1),
      maxAttempts: whole(env, 'LERN_NOTIFICATION_OTP_MAX_ATTEMPTS', 3, 1),
      maxPerWindow: whole(env, 'LERN_NOTIFICATION_OTP_MAX_PER_WINDOW', 5, 1),
      windowMinutes: whole(env, 'LERN_NOTIFICATION_OTP_WINDOW_MINUTES', 60, 1),
    },
  };
}
