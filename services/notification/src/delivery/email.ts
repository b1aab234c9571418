/** Email through an SMTP relay (nodemailer). */
import nodemailer from 'nodemailer';
import type { SmtpOptions } from '../options.ts';
import type { DeliveryAdapter, OutgoingMessage } from './adapter.ts';

/** HTML when the body looks like markup, text otherwise. */
export function isHtml(body: string): boolean {
  return /<\s*(html|body|p|div|br|table)\b/i.test(body);
}

export function createEmailAdapter(options: SmtpOptions): DeliveryAdapter & { close(): void } {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.user ? { auth: { user: options.user, pass: options.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    channel: 'email',
    async send(message: OutgoingMessage) {
      await transport.sendMail({
        from: message.from ?? options.from,
        // One message per batch, recipients hidden from one another.
        to: options.from,
        bcc: [...message.to],
        subject: message.subject ?? '',
        ...(isHtml(message.body) ? { html: message.body } : { text: message.body }),
      });
    },
    close: () => transport.close(),
  };
}
