import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, integerLike, keyValueList, numberLike, offset, oneOf, text } from '../values';

// `master-card` is what Studio exports; `mastercard` is <Pay>'s own spelling.
const CARD_TYPES = ['visa', 'mastercard', 'master-card', 'amex', 'maestro', 'discover', 'optima', 'jcb', 'diners-club', 'enroute'] as const;

/**
 * Capture Payments — collects card or ACH details over the call with <Pay> and charges or
 * tokenizes them through a payment connector.
 */
export const capturePayments = defineWidget({
  type: 'capture-payments',
  label: 'Capture Payments',
  events: ['success', 'maxFailedAttempts', 'providerError', 'payInterrupted', 'hangup', 'validationError'],
  failureEvent: 'providerError',
  onCall: true,
  outputs: ['Result', 'PaymentToken', 'PaymentConfirmationCode', 'ProfileId', 'PaymentCardNumber', 'PaymentCardType', 'ExpirationDate', 'PaymentCardPostalCode', 'SecurityCode'],
  movedHere: () => "asks Twilio's <Pay> on the call: the payment connector must be configured in the Twilio account the number belongs to",
  editor: {
    group: 'Voice',
  },
  properties: z.looseObject({
    payment_connector: text.optional(),
    payment_amount: numberLike.optional(),
    currency: text.optional(),
    description: text.optional(),
    language: text.optional(),
    timeout: integerLike.optional(),
    max_attempts: integerLike.optional(),
    security_code: booleanLike.optional(),
    postal_code: booleanLike.optional(),
    min_postal_code_length: integerLike.optional(),
    payment_token_type: oneOf(['one-time', 'reusable']).optional(),
    // Studio writes the upper-case names; <Pay> itself spells them in kebab case.
    payment_method: oneOf(['CREDIT_CARD', 'ACH_DEBIT', 'credit-card', 'ach-debit']).optional(),
    bank_account_type: oneOf([
      'CONSUMER_CHECKING',
      'CONSUMER_SAVINGS',
      'COMMERCIAL_CHECKING',
      'COMMERCIAL_SAVINGS',
      'consumer-checking',
      'consumer-savings',
      'commercial-checking',
      'commercial-savings',
    ]).optional(),
    valid_card_types: z.array(oneOf(CARD_TYPES)).optional(),
    parameters: keyValueList.optional(),
    offset: offset.optional(),
  }),
});
