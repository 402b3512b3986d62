import { newMailbox, recordSent, recordStatus } from '../../src/engine/mailbox';

const undelivered = (sid: string) => ({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' });

/** Status callbacks count only for messages the execution sent (issue 16). */
describe('mailbox: delivery statuses', () => {
  it('takes a failure of a message it sent, and no status of any other', () => {
    const mailbox = newMailbox();
    recordSent(mailbox, 'SM1');
    recordStatus(mailbox, undelivered('SM1'));
    recordStatus(mailbox, undelivered('SMother'));
    expect(mailbox.failedDeliveries).toEqual({ SM1: { Status: 'undelivered', ErrorCode: '30003', ErrorMessage: null } });
  });

  it('takes a failure that overtook the completion of its send', () => {
    const mailbox = newMailbox();
    recordStatus(mailbox, undelivered('SM1'));
    expect(mailbox.failedDeliveries).toEqual({});
    recordSent(mailbox, 'SM1');
    expect(Object.keys(mailbox.failedDeliveries)).toEqual(['SM1']);
    expect(mailbox.unclaimed).toEqual({});
  });

  it('holds only the latest few failures of unknown messages', () => {
    const mailbox = newMailbox();
    for (let i = 0; i < 1_000; i++) recordStatus(mailbox, undelivered(`SM${i}`));
    expect(Object.keys(mailbox.unclaimed ?? {})).toEqual(Array.from({ length: 10 }, (_, i) => `SM${990 + i}`));
    expect(mailbox.failedDeliveries).toEqual({});
  });
});
