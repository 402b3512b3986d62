import type { WidgetRegistry } from '../engine/widget';
import { gatherInputOnCall } from './gather-input-on-call';
import { makeHttpRequest } from './make-http-request';
import { runFunction } from './run-function';
import { runSubflow } from './run-subflow';
import { sayPlay } from './say-play';
import { sendAndWaitForReply } from './send-and-wait-for-reply';
import { sendMessage } from './send-message';
import { sendToAutoPilot } from './send-to-auto-pilot';
import { setVariables } from './set-variables';
import { splitBasedOn } from './split-based-on';
import { trigger } from './trigger';

/** Every widget the engine runs, by Studio type id. One line per widget. */
export const WIDGETS: WidgetRegistry = {
  [trigger.type]: trigger,
  [splitBasedOn.type]: splitBasedOn,
  [setVariables.type]: setVariables,
  [makeHttpRequest.type]: makeHttpRequest,
  [runFunction.type]: runFunction,
  [runSubflow.type]: runSubflow,
  [sendMessage.type]: sendMessage,
  [sendAndWaitForReply.type]: sendAndWaitForReply,
  [sendToAutoPilot.type]: sendToAutoPilot,
  [sayPlay.type]: sayPlay,
  [gatherInputOnCall.type]: gatherInputOnCall,
};
