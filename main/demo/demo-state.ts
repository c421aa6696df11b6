/**
 * What makes the demo the same issuer in every process: its port and instance id, in the data
 * folder (state.json, nothing secret), and its keys, in the keychain under the demo's service
 * (the private signing JWK, the cookie keys, and the key that proves a server is this demo).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import type { DemoKeys } from './demo-config';
import type { DemoPersistence } from './demo-persistence';

export interface DemoState {
  port: number;
  /** A random id, published in the discovery document, naming this data folder's demo. */
  instance: string;
}

export interface DemoSecrets extends DemoKeys {
  /** HMAC key for the proof another Gatehouse process asks for (demo-proof.ts). */
  proofKey: string;
}

const stateSchema = z.object({
  v: z.literal(1),
  port: z.number().int().min(1).max(65535),
  instance: z.string().min(16),
});

const secretsSchema = z.object({
  v: z.literal(1),
  signingKey: z.looseObject({ kty: z.string(), kid: z.string() }),
  cookieKeys: z.array(z.string().min(32)).min(1),
  proofKey: z.string().min(32),
});

const stateFile = (p: DemoPersistence) => path.join(p.dir, 'state.json');
const secretsItem = (p: DemoPersistence) => `${p.prefix}server`;

export function newInstanceId(): string {
  return randomBytes(16).toString('hex');
}

export async function newDemoKeys(): Promise<DemoKeys> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey: JWK = {
    ...(await exportJWK(privateKey)),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };
  return { signingKey, cookieKeys: [randomBytes(32).toString('hex')] };
}

/** The stored port and instance, or null when there is none yet (or it is damaged). */
export async function readState(p: DemoPersistence): Promise<DemoState | null> {
  let text: string;
  try {
    text = await readFile(stateFile(p), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? { port: parsed.data.port, instance: parsed.data.instance } : null;
  } catch {
    return null;
  }
}

export async function writeState(p: DemoPersistence, state: DemoState): Promise<void> {
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  await p.writeFile(stateFile(p), JSON.stringify({ v: 1, ...state }));
}

/** The keys from the keychain; the first process to need them makes them, under the lock. */
export async function loadSecrets(p: DemoPersistence): Promise<DemoSecrets> {
  const found = await readSecrets(p);
  if (found) return found;
  return p.lock(async () => {
    const again = await readSecrets(p);
    if (again) return again;
    const secrets: DemoSecrets = {
      ...(await newDemoKeys()),
      proofKey: randomBytes(32).toString('base64url'),
    };
    await p.secrets.set(secretsItem(p), JSON.stringify({ v: 1, ...secrets }));
    return secrets;
  });
}

async function readSecrets(p: DemoPersistence): Promise<DemoSecrets | null> {
  const raw = await p.secrets.get(secretsItem(p));
  if (!raw) return null;
  try {
    const parsed = secretsSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const { signingKey, cookieKeys, proofKey } = parsed.data;
    return { signingKey: signingKey as JWK, cookieKeys, proofKey };
  } catch {
    return null;
  }
}
