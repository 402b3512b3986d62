import type { SendResult } from '../engine/effects';
import type { LocalMessages } from '../store/local-messages';
import { newSid } from '../temporal/ids';
import type { ChannelMessage, MessageChannel } from './channel';

/**
 * The local channel: messages go to an inbox in the store instead of to phones, and the API
 * lets you read them and answer as the contact. A flow can be tried end to end without any
 * Twilio account. Sending the same idempotency key twice returns the first message.
 */
export class LocalChannel implements MessageChannel {
  constructor(
    private readonly inbox: LocalMessages,
    private readonly accountSid: string,
  ) {}

  async send(message: ChannelMessage): Promise<SendResult> {
    const saved = await this.inbox.save({
      sid: newSid('SM'),
      account_sid: this.accountSid,
      direction: 'outbound',
      to_address: message.conversationSid ?? message.to,
      from_address: message.from,
      body: message.body ?? (message.contentSid ? `[content ${message.contentSid}]` : ''),
      media: JSON.stringify(message.mediaUrls),
      status: 'sent',
      idempotency_key: message.idempotencyKey,
      date_created: new Date().toISOString(),
    });
    const media = JSON.parse(saved.media) as string[];
    return {
      ok: true,
      message: {
        Sid: saved.sid,
        AccountSid: saved.account_sid,
        From: saved.from_address,
        To: saved.to_address,
        Body: saved.body,
        Status: saved.status,
        Direction: 'outbound-api',
        NumMedia: String(media.length),
        NumSegments: '1',
        MessagingServiceSid: message.from.startsWith('MG') ? message.from : null,
        DateCreated: saved.date_created,
        ErrorCode: null,
        ErrorMessage: null,
      },
    };
  }
}
