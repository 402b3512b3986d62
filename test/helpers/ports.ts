// The one free-port helper lives with the networking code; tests, bench and scripts share it.
export { freePort, freePorts, freePortRun } from '../../src/net/ports';
