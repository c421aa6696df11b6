/**
 * oidc-provider's storage (its Adapter interface) for what must outlive the process: grants,
 * refresh tokens and consents. The library keys records by their value (a refresh token's id is
 * the token), so the disk holds only SHA-256 digests and expiry (records.json), and each value
 * lives in the keychain under the demo's own service. The rest stays in this process's memory.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { z } from 'zod';
import { CONSENT_MODEL } from './demo-consents';
import type { DemoPersistence } from './demo-persistence';

/** Interactions, sessions, codes and access tokens live only as long as a sign-in needs them. */
export const PERSISTED_MODELS: ReadonlySet<string> = new Set([
  'Grant',
  'RefreshToken',
  CONSENT_MODEL,
]);

const metaSchema = z.object({
  model: z.string(),
  /** Epoch ms; null for a record without expiry. */
  exp: z.number().nullable(),
  /** Digests of the grant id, session uid and user code, for the lookups by them. */
  grant: z.string().optional(),
  uid: z.string().optional(),
  userCode: z.string().optional(),
  /** Epoch seconds, as oidc-provider sets it: consuming writes no keychain item. */
  consumed: z.number().optional(),
});
const indexSchema = z.object({ v: z.literal(1), records: z.record(z.string(), metaSchema) });
type Meta = z.infer<typeof metaSchema>;
type Lookup = 'grant' | 'uid' | 'userCode';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export function persistentAdapter(
  persistence: DemoPersistence,
  memory: AdapterFactory,
  now: () => number = Date.now,
): AdapterFactory {
  const store = new RecordStore(persistence, now);
  return (name) => (PERSISTED_MODELS.has(name) ? new RecordAdapter(name, store) : memory(name));
}

/** The index file and the keychain items, changed together under the demo's lock. */
class RecordStore {
  readonly #p: DemoPersistence;
  readonly #now: () => number;
  readonly #file: string;

  constructor(persistence: DemoPersistence, now: () => number) {
    this.#p = persistence;
    this.#now = now;
    this.#file = path.join(persistence.dir, 'records.json');
  }

  #item(key: string): string {
    return `${this.#p.prefix}record/${key}`;
  }

  /** A missing or damaged index holds nothing: its sessions end, "sign in again". */
  async records(): Promise<Map<string, Meta>> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    let parsed;
    try {
      parsed = indexSchema.safeParse(JSON.parse(text));
    } catch {
      return new Map();
    }
    return new Map(parsed.success ? Object.entries(parsed.data.records) : []);
  }

  live(meta: Meta | undefined, model: string): meta is Meta {
    return !!meta && meta.model === model && (meta.exp === null || meta.exp > this.#now());
  }

  async value(key: string, meta: Meta): Promise<AdapterPayload | undefined> {
    const raw = await this.#p.secrets.get(this.#item(key));
    if (!raw) return undefined;
    const payload = JSON.parse(raw) as AdapterPayload;
    return meta.consumed === undefined ? payload : { ...payload, consumed: meta.consumed };
  }

  async put(key: string, payload: AdapterPayload, meta: Meta): Promise<void> {
    await this.update(async (records) => {
      // The value first: an index entry never names an item that is not there.
      await this.#p.secrets.set(this.#item(key), JSON.stringify(payload));
      records.set(key, meta);
    });
  }

  /** Read, edit and write the index under the lock; expired and removed records lose values. */
  async update(edit: (records: Map<string, Meta>) => Promise<void> | void): Promise<void> {
    await this.#p.lock(async () => {
      const records = await this.records();
      const before = [...records.keys()];
      await edit(records);
      const now = this.#now();
      for (const [key, meta] of records)
        if (meta.exp !== null && meta.exp <= now) records.delete(key);
      await mkdir(this.#p.dir, { recursive: true, mode: 0o700 });
      const index = { v: 1, records: Object.fromEntries(records) };
      await this.#p.writeFile(this.#file, JSON.stringify(index));
      for (const key of before)
        if (!records.has(key)) await this.#p.secrets.delete(this.#item(key)).catch(() => false);
    });
  }

  nowSeconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  expiry(expiresIn: number | undefined): number | null {
    return typeof expiresIn === 'number' ? this.#now() + expiresIn * 1000 : null;
  }
}

class RecordAdapter implements Adapter {
  readonly #model: string;
  readonly #store: RecordStore;

  constructor(model: string, store: RecordStore) {
    this.#model = model;
    this.#store = store;
  }

  #key(id: string): string {
    return digest(`${this.#model}\n${id}`);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const meta: Meta = { model: this.#model, exp: this.#store.expiry(expiresIn) };
    if (typeof payload.grantId === 'string') meta.grant = digest(payload.grantId);
    if (typeof payload.uid === 'string') meta.uid = digest(payload.uid);
    if (typeof payload.userCode === 'string') meta.userCode = digest(payload.userCode);
    await this.#store.put(this.#key(id), payload, meta);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const key = this.#key(id);
    const meta = (await this.#store.records()).get(key);
    return this.#store.live(meta, this.#model) ? this.#store.value(key, meta) : undefined;
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findBy('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findBy('userCode', userCode);
  }

  async consume(id: string): Promise<void> {
    const key = this.#key(id);
    const at = this.#store.nowSeconds();
    await this.#store.update((records) => {
      const meta = records.get(key);
      if (meta) records.set(key, { ...meta, consumed: at });
    });
  }

  async destroy(id: string): Promise<void> {
    const key = this.#key(id);
    await this.#store.update((records) => void records.delete(key));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const grant = digest(grantId);
    await this.#store.update((records) => {
      for (const [key, meta] of records)
        if (meta.model === this.#model && meta.grant === grant) records.delete(key);
    });
  }

  async #findBy(field: Lookup, value: string): Promise<AdapterPayload | undefined> {
    const wanted = digest(value);
    for (const [key, meta] of await this.#store.records())
      if (meta[field] === wanted && this.#store.live(meta, this.#model))
        return this.#store.value(key, meta);
    return undefined;
  }
}
