import type { FlowFile } from '../../flow/flow-file';

/** What `flows push` does with one file; a plan before the push, the outcome after it. */
export type PushAction =
  | {
      readonly kind: 'create';
      readonly file: string;
      readonly name: string;
      /** The flow's SID in the account it was pulled from, which this server does not know: a flow moved here (from Twilio's Studio). */
      readonly movedFrom?: string;
      /** After the push: its SID here, and the URL its numbers' webhooks must name. */
      readonly sid?: string;
      readonly webhookUrl?: string;
    }
  | { readonly kind: 'update'; readonly file: string; readonly sid: string; readonly from: number; readonly changed: readonly string[] }
  | { readonly kind: 'unchanged'; readonly file: string; readonly sid: string }
  | {
      readonly kind: 'conflict';
      readonly file: string;
      readonly sid: string;
      readonly pulled: number;
      readonly server: number;
      readonly updated: Date;
      /** The newer revision's commit message: Studio's revisions record no author, so this is who saved it as far as anyone can tell. */
      readonly commitMessage: string;
    };

/** A file of the folder with what the push will do with it. */
export type Planned = { readonly action: PushAction; readonly file: FlowFile };
