import { z } from 'zod';

/**
 * The shape of a Flow JSON document (Studio's `flow-definition` schema). Objects are loose:
 * keys Studio adds, or that we do not model, survive an import/export round trip. Widget
 * properties are checked per type by the specs in `./widgets`.
 */

const conditionSchema = z.looseObject({
  friendly_name: z.string(),
  arguments: z.array(z.string()),
  type: z.string(),
  value: z.string(),
});

const transitionSchema = z.looseObject({
  event: z.string().min(1, 'a transition needs an event'),
  next: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
});

export const stateSchema = z.looseObject({
  name: z.string({ error: 'a widget needs a name' }),
  type: z.string({ error: 'a widget needs a type' }).min(1, 'a widget needs a type'),
  transitions: z.array(transitionSchema),
  properties: z.looseObject({}),
});

export const flowDefinitionSchema = z.looseObject({
  description: z.string().optional(),
  $schema: z.string().optional(),
  flags: z.looseObject({ allow_concurrent_calls: z.boolean() }).optional(),
  initial_state: z.string().min(1, 'initial_state names the first widget'),
  states: z.array(z.unknown()).min(1, 'a flow needs at least one widget'),
});
