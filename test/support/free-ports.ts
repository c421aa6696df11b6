/**
 * Ports that were free a moment ago, chosen by the OS, for tests of fixed loopback ports. A
 * hard-coded port can be taken at any time: the OS hands out the same range (on Linux 32768–60999)
 * as ephemeral ports to every other test's listeners and connections.
 */
import net from 'node:net';

export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve) => {
          const s = net.createServer();
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
