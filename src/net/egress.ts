import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

/**
 * Which addresses flows may reach with Make HTTP Request and Run Function, and event sinks with
 * the events sent to them. Link-local (cloud metadata lives at 169.254.169.254), unspecified,
 * multicast and reserved addresses are always refused; loopback, private, unique-local and
 * carrier-grade NAT ranges too when `blockPrivate` is set (HTTP_BLOCK_PRIVATE). The check runs
 * when the connection is made, on the address actually dialled, so DNS rebinding, bare IPs and
 * redirects cannot slip past it.
 */
export interface EgressPolicy {
  readonly blockPrivate: boolean;
}

const ALWAYS_REFUSED = new Set(['unspecified', 'linkLocal', 'multicast', 'broadcast', 'reserved']);
/** Ranges refused only under HTTP_BLOCK_PRIVATE. */
export const PRIVATE_RANGES: ReadonlySet<string> = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);
/** Metadata endpoints outside link-local: AWS's IPv6 one and Alibaba Cloud's. */
const METADATA = new Set(['fd00:ec2::254', '100.100.100.200']);

export class EgressRefused extends Error {
  readonly code = 'EGRESS_REFUSED';
  constructor(address: string, range: string) {
    super(`${address} is not reachable from flows (${range} address)`);
    this.name = 'EgressRefused';
  }
}

/** Why `address` is refused under `policy`, or undefined when it may be dialled. */
export function refusal(address: string, policy: EgressPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return 'unparseable';
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 is judged as the IPv4 it maps
  if (METADATA.has(parsed.toString())) return 'cloud metadata';
  const range = parsed.range();
  if (ALWAYS_REFUSED.has(range)) return range;
  if (policy.blockPrivate && PRIVATE_RANGES.has(range)) return range;
  return undefined;
}

/**
 * Why a URL's host is refused under `policy` when it is an IP literal (`hostname` as `URL`
 * gives it: IPv6 in brackets, IPv4 normalised), with the address judged. A name is never
 * refused here: the agent checks the addresses it resolves to when it connects.
 */
export function literalHostRefusal(hostname: string, policy: EgressPolicy): { address: string; range: string } | undefined {
  const address = hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(address)) return undefined;
  const range = refusal(address, policy);
  return range ? { address, range } : undefined;
}

/** The policy's refusal behind a failed request (undici wraps what the connector reports), if it was one. */
export function egressRefusalOf(err: unknown): EgressRefused | undefined {
  if (err instanceof EgressRefused) return err;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof EgressRefused ? cause : undefined;
}

/**
 * An undici Agent whose every connection goes through the policy: an IP literal is checked as
 * is; a name is resolved, every address checked, and the vetted address dialled (TLS still
 * verifies the name). Keep-alive is off so a pooled socket never outlives a check.
 */
export function egressAgent(policy: EgressPolicy, connectTimeoutMs: number): Agent {
  const connect = buildConnector({ timeout: connectTimeoutMs });
  return new Agent({
    pipelining: 0,
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      const dial = (address: string) => connect({ ...options, hostname: address, servername: net.isIP(host) ? undefined : host }, callback);
      if (net.isIP(host)) {
        const why = refusal(host, policy);
        return why ? callback(new EgressRefused(host, why), null) : dial(host);
      }
      dns.lookup(host, { all: true }, (err, addresses) => {
        if (err) return callback(err, null);
        for (const { address } of addresses) {
          const why = refusal(address, policy);
          if (why) return callback(new EgressRefused(`${host} (${address})`, why), null);
        }
        const first = addresses[0];
        return first ? dial(first.address) : callback(new Error(`${host} has no address`), null);
      });
    },
  });
}
