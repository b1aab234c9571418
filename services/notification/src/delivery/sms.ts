/**
 * SMS through a provider's HTTP API, in MSG91's v2 shape (upstream's provider): a POST of
 * `{sender, route, country, sms: [{message, to}]}` with the `authkey` header. Any 2xx is success.
 */
import type { SmsOptions } from '../options.ts';
import type { DeliveryAdapter, OutgoingMessage } from './adapter.ts';

/** The provider request for one message (pure). */
export function smsRequest(options: SmsOptions, message: OutgoingMessage): { url: string; headers: Record<string, string>; body: string } {
  return {
    url: options.url,
    headers: { 'content-type': 'application/json', ...(options.authKey ? { authkey: options.authKey } : {}) },
    body: JSON.stringify({ sender: message.from ?? options.sender, route: '4', country: options.country, sms: [{ message: message.body, to: [...message.to] }] }),
  };
}

export function createSmsAdapter(options: SmsOptions, timeoutMs = 10_000): DeliveryAdapter {
  return {
    channel: 'phone',
    async send(message) {
      const req = smsRequest(options, message);
      const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (!res.ok) throw new Error(`SMS provider answered ${res.status}: ${text.slice(0, 200)}`);
    },
  };
}
