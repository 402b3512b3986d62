import type { FlowDefinition, FlowState, Transition } from '../../../src/flow/definition';
import { blankDefinition } from '../editor/definition-ops';

/**
 * What a new flow can start from. Studio's New Flow dialog offers "Start from scratch",
 * "Appointment Reminders", "IVR / Phone Tree" and "SMS Chatbot" (Twilio's Studio Flows API
 * quickstart), beside "Import from JSON". Each template here is built from our own widgets,
 * valid as it is (a test validates every one), and wired to the Trigger event its channel uses;
 * the texts and numbers are placeholders to change. Numbers are from the 555-0100…0199 range,
 * reserved for fiction, so a template never calls a real person.
 */
export interface FlowTemplate {
  readonly id: string;
  /** Studio's name for it. */
  readonly name: string;
  readonly description: string;
  readonly definition: () => FlowDefinition;
}

const COLUMN = 260;
const ROW = 240;

/** A widget at grid position (col, row), its transitions in Studio's order. */
function widget(name: string, type: string, at: [number, number], properties: Record<string, unknown>, transitions: Transition[]): FlowState {
  return { name, type, transitions, properties: { ...properties, offset: { x: at[0] * COLUMN, y: at[1] * ROW } } };
}

/** A Split Based On branch: `[input]` compared with `value`, as Studio's branch editor writes it. */
function branch(input: string, type: string, value: string, next: string): Transition {
  return { event: 'match', next, conditions: [{ friendly_name: `If value ${type.replace(/_/g, ' ')} ${value}`, arguments: [input], type, value }] };
}

/** The blank flow with one Trigger event wired to `first`. */
function startingWith(event: string, first: string, states: FlowState[], description: string): FlowDefinition {
  const blank = blankDefinition(description);
  const trigger = blank.states[0]!;
  return {
    ...blank,
    states: [{ ...trigger, transitions: trigger.transitions.map((t) => (t.event === event ? { ...t, next: first } : t)) }, ...states],
  };
}

function sms(name: string, at: [number, number], body: string): FlowState {
  return widget(name, 'send-message', at, { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body }, [{ event: 'sent' }, { event: 'failed' }]);
}

function say(name: string, at: [number, number], text: string, next?: string): FlowState {
  return widget(name, 'say-play', at, { say: text, loop: 1 }, [{ event: 'audioComplete', ...(next ? { next } : {}) }]);
}

function appointmentReminders(): FlowDefinition {
  const reply = '{{widgets.confirm_appointment.inbound.Body}}';
  return startingWith('incomingRequest', 'confirm_appointment', [
    widget('confirm_appointment', 'send-and-wait-for-reply', [0, 1], {
      from: '{{flow.channel.address}}',
      body: 'Hi {{flow.data.name | default: "there"}}, this is a reminder of your appointment on {{flow.data.appointment_time}}. Reply YES to confirm or NO to cancel.',
      timeout: '3600',
    }, [{ event: 'incomingMessage', next: 'check_reply' }, { event: 'timeout', next: 'no_reply' }, { event: 'deliveryFailure' }]),
    widget('check_reply', 'split-based-on', [0, 2], { input: reply }, [
      { event: 'noMatch', next: 'not_understood' },
      branch(reply, 'matches_any_of', 'yes, y', 'confirmed'),
      branch(reply, 'matches_any_of', 'no, n', 'cancelled'),
    ]),
    sms('confirmed', [-1, 3], 'Thank you, your appointment is confirmed. See you then!'),
    sms('cancelled', [0, 3], 'Your appointment is cancelled. Call us to book a new one.'),
    sms('not_understood', [1, 3], 'Sorry, we did not understand your reply. Please call us to confirm.'),
    sms('no_reply', [1, 2], 'We did not hear back from you: your appointment stands. Call us if you need to change it.'),
  ], 'Appointment Reminders: start an execution with the REST API (Parameters: name, appointment_time) to text a reminder and read the answer');
}

function ivrPhoneTree(): FlowDefinition {
  const digits = '{{widgets.main_menu.Digits}}';
  const connect = (name: string, at: [number, number], to: string) =>
    widget(name, 'connect-call-to', at, { noun: 'number', to, caller_id: '{{contact.channel.address}}', timeout: 30 }, [{ event: 'callCompleted' }, { event: 'hangup' }]);
  return startingWith('incomingCall', 'main_menu', [
    widget('main_menu', 'gather-input-on-call', [0, 1], {
      say: 'Thank you for calling. For sales, press 1. For support, press 2.',
      stop_gather: true,
      timeout: 5,
      number_of_digits: 1,
    }, [{ event: 'keypress', next: 'route_call' }, { event: 'speech' }, { event: 'timeout', next: 'goodbye' }]),
    widget('route_call', 'split-based-on', [0, 2], { input: digits }, [
      { event: 'noMatch', next: 'not_an_option' },
      branch(digits, 'equal_to', '1', 'connect_sales'),
      branch(digits, 'equal_to', '2', 'connect_support'),
    ]),
    connect('connect_sales', [-1, 3], '+15555550100'),
    connect('connect_support', [0, 3], '+15555550101'),
    say('not_an_option', [1, 3], 'Sorry, that is not an option.', 'main_menu'),
    say('goodbye', [1, 1.5], 'We did not receive your choice. Goodbye.'),
  ], 'IVR / Phone Tree: a caller picks a department with the keypad and is connected to it');
}

function smsChatbot(): FlowDefinition {
  const body = '{{trigger.message.Body}}';
  return startingWith('incomingMessage', 'understand_message', [
    widget('understand_message', 'split-based-on', [0, 1], { input: body }, [
      { event: 'noMatch', next: 'offer_help' },
      branch(body, 'contains', 'hours', 'opening_hours'),
      branch(body, 'contains', 'address', 'our_address'),
    ]),
    sms('opening_hours', [-1, 2], 'We are open Monday to Friday, 9am to 5pm.'),
    sms('our_address', [0, 2], 'You will find us at 1 Example Street.'),
    sms('offer_help', [1, 2], 'Hi! Ask me about our opening hours or our address.'),
  ], 'SMS Chatbot: answers a text by what it asks about');
}

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  { id: 'appointment-reminders', name: 'Appointment Reminders', description: 'Text a reminder started by your system through the REST API, and handle the YES / NO reply.', definition: appointmentReminders },
  { id: 'ivr-phone-tree', name: 'IVR / Phone Tree', description: 'Answer calls with a keypad menu and connect the caller to the right number.', definition: ivrPhoneTree },
  { id: 'sms-chatbot', name: 'SMS Chatbot', description: 'Reply to incoming texts by the words they contain.', definition: smsChatbot },
];
