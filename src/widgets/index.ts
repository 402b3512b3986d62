import type { WidgetRegistry } from '../engine/widget';
import { setVariables } from './set-variables';
import { trigger } from './trigger';

/** Every widget the engine runs, by Studio type id. One line per widget. */
export const WIDGETS: WidgetRegistry = {
  [trigger.type]: trigger,
  [setVariables.type]: setVariables,
};
