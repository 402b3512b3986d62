import { createContext } from 'react';

/** The variable paths Liquid fields of the selected widget suggest (see `suggestions.ts`). */
export const SuggestionsContext = createContext<readonly string[]>([]);
