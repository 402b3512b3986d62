import { ApiError } from '../api/client';

/** One line for the user from a failed call: Twilio's message, with how many findings a refused definition had. */
export function describe(err: unknown): string {
  if (err instanceof ApiError) {
    const details = (err.details as { errors?: { property_path: string; message: string }[] } | undefined)?.errors;
    return details?.length ? `${err.message} (${details.length} problem${details.length > 1 ? 's' : ''})` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
