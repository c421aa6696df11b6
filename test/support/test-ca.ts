/**
 * A throw-away certificate authority made with `openssl` at test time, in a temp folder (no key
 * is ever committed), and one server certificate it signs for the given names. Stands in for a
 * corporate CA that inspects TLS: Node trusts it only through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCa {
  /** The CA certificate's file, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  ca: string;
  /** The server certificate (PEM) and its private key, for https.createServer. */
  cert: string;
  key: string;
  remove(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** `names` are DNS names or IPv4 literals, written to the certificate's subjectAltName. */
export function makeTestCa(names: readonly string[]): TestCa {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-test-ca-'));
  const at = (file: string) => path.join(dir, file);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 20_000,
    });
  openssl(
    'req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=Gatehouse Test Corporate CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ); // prettier-ignore
  const san = names.map((n) => (/^\d+(\.\d+){3}$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(
    at('leaf.ext'),
    [
      `subjectAltName=${san}`,
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  openssl('req', ...EC, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${names[0]}`);
  openssl(
    'x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'leaf.pem', '-days', '2', '-extfile', 'leaf.ext',
  ); // prettier-ignore
  // The CA's key is needed no longer: gone before any test runs.
  rmSync(at('ca.key'));
  return {
    caFile: at('ca.pem'),
    ca: readFileSync(at('ca.pem'), 'utf8'),
    cert: readFileSync(at('leaf.pem'), 'utf8'),
    key: readFileSync(at('leaf.key'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
