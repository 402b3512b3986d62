/** What a caller gets from a TwiML answer, read with the browser's XML parser. */
export interface TwimlView {
  /** What the caller hears, in order: spoken text, or the URL of played audio. */
  readonly heard: readonly { readonly kind: 'say' | 'play'; readonly text: string }[];
  /** The first `<Gather>`: how many digits end it, and which key does. */
  readonly gather?: { readonly numDigits?: number; readonly finishOnKey: string; readonly speech: boolean };
  /** A `<Redirect>` outside any Gather: where Twilio goes once the rest played (or a Gather timed out). */
  readonly redirect?: string;
  /** `<Hangup>` or `<Reject>`: the flow ends the call. */
  readonly hangup: boolean;
  /** Set when the text is not XML. */
  readonly error?: string;
}

export function readTwiml(xml: string): TwimlView {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const broken = doc.getElementsByTagName('parsererror')[0];
  if (broken) return { heard: [], hangup: false, error: broken.textContent?.trim() || 'Not XML' };
  const heard: { kind: 'say' | 'play'; text: string }[] = [];
  let gather: TwimlView['gather'];
  let redirect: string | undefined;
  let hangup = false;
  for (const element of Array.from(doc.getElementsByTagName('*'))) {
    const text = element.textContent?.trim() ?? '';
    switch (element.tagName) {
      case 'Say':
        if (text) heard.push({ kind: 'say', text });
        break;
      case 'Play':
        if (text) heard.push({ kind: 'play', text });
        break;
      case 'Gather':
        gather ??= gatherOf(element);
        break;
      case 'Redirect':
        if (!element.closest('Gather')) redirect ??= text;
        break;
      case 'Hangup':
      case 'Reject':
        hangup = true;
        break;
    }
  }
  return { heard, ...(gather ? { gather } : {}), ...(redirect ? { redirect } : {}), hangup };
}

function gatherOf(element: Element): NonNullable<TwimlView['gather']> {
  const digits = Number(element.getAttribute('numDigits'));
  // Twilio's default finishOnKey is '#'; an empty attribute turns it off.
  const finishOnKey = element.getAttribute('finishOnKey') ?? '#';
  const speech = (element.getAttribute('input') ?? 'dtmf').includes('speech');
  return { ...(Number.isInteger(digits) && digits > 0 ? { numDigits: digits } : {}), finishOnKey, speech };
}
