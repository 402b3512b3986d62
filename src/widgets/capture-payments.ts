import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { capturePaymentsProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, attributes, parameterNodes, voiceOutcome, type Render } from './voice';


/** `<Pay>`'s `Result` → the widget's event; anything unknown is the connector's fault. */
const RESULTS: Record<string, string> = {
  success: 'success',
  'too-many-failed-attempts': 'maxFailedAttempts',
  'payment-connector-error': 'providerError',
  'caller-interrupted-with-star': 'payInterrupted',
  'caller-hung-up': 'hangup',
  'validation-error': 'validationError',
};

/**
 * Capture Payments — collects card or ACH details over the call with `<Pay>` and charges
 * (`payment_amount`) or tokenizes them through a payment connector; connector-specific
 * `parameters` ride along as `<Parameter>`s. Twilio calls back with `Result`, `PaymentToken`,
 * `PaymentConfirmationCode`, …; `Result` decides the event.
 *
 * @example
 * { "name": "pay", "type": "capture-payments",
 *   "transitions": [{ "event": "success", "next": "thanks" }, { "event": "maxFailedAttempts" }, { "event": "providerError" },
 *     { "event": "payInterrupted" }, { "event": "hangup" }, { "event": "validationError" }],
 *   "properties": { "payment_connector": "Stripe_Connector", "payment_amount": "{{flow.variables.amount}}", "currency": "usd",
 *     "payment_token_type": "one-time", "valid_card_types": ["visa", "master-card"], "security_code": true, "postal_code": "false" } }
 */
export const capturePayments: WidgetBehaviour<Infer<typeof capturePaymentsProps>> = {
  type: 'capture-payments',
  parse: (properties) => parseProperties('capture-payments', capturePaymentsProps, properties),
  run: async ({ name, stepSid, props, render, host, limits }) => {
    const pay: TwimlNode = {
      verb: 'Pay',
      attributes: attributes({
        action: CALLBACK_URL,
        method: 'POST',
        paymentConnector: attribute(props.payment_connector, render),
        chargeAmount: attribute(props.payment_amount, render),
        currency: attribute(props.currency, render),
        description: attribute(props.description, render),
        language: attribute(props.language, render),
        timeout: attribute(props.timeout, render),
        maxAttempts: attribute(props.max_attempts, render),
        securityCode: attribute(props.security_code, render),
        postalCode: attribute(props.postal_code, render),
        minPostalCodeLength: attribute(props.min_postal_code_length, render),
        tokenType: attribute(props.payment_token_type, render),
        paymentMethod: kebab(props.payment_method, render),
        bankAccountType: kebab(props.bank_account_type, render),
        validCardTypes: cardTypes(props.valid_card_types, render),
      }),
      children: parameterNodes(props.parameters, render, limits),
    };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [pay], awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => ({
      event: RESULTS[typeof params.Result === 'string' ? params.Result : ''] ?? 'providerError',
      outputs: callParams(params),
    }));
  },
};


/** Studio writes `CREDIT_CARD`, `CONSUMER_CHECKING`; `<Pay>` spells them `credit-card`, `consumer-checking`. */
function kebab(value: string | undefined, render: Render): string | undefined {
  const text = attribute(value, render);
  return text === undefined ? undefined : String(text).toLowerCase().replace(/_/g, '-');
}

/** Space-separated, as `<Pay>` wants them; Studio exports MasterCard as `master-card`. */
function cardTypes(types: readonly string[] | undefined, render: Render): string | undefined {
  const list = (types ?? []).map((t) => render(t).trim().toLowerCase()).filter((t) => t !== '');
  return list.length === 0 ? undefined : list.map((t) => (t === 'master-card' ? 'mastercard' : t)).join(' ');
}
