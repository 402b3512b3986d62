/** The official `twilio` client pointed at our server: the CLI's own (one implementation). */
export { studioClient as localTwilioClient } from '../../src/cli/studio-client';
