/**
 * Run-time schemas for every request channel's arguments. The renderer is not trusted, so every
 * payload is parsed here before a handler sees it. The `satisfies` clause ties each schema to the
 * contract in shared/ipc.ts: a schema that drifts from its type fails the type check.
 */
import { z } from 'zod';
import type { ArgsOf, RequestChannel } from '../../shared/ipc';
import { isAccountId, MAX_ACCOUNT_ID_LENGTH, PROVIDER_ID_PATTERN } from '../ports/account-id';

const providerId = z.string().regex(PROVIDER_ID_PATTERN, 'not a provider id');
// Exactly the ids the engine makes (main/ports/account-id.ts): any sub up to 1,024 UTF-8 bytes.
const accountId = z
  .string()
  .min(3)
  .max(MAX_ACCOUNT_ID_LENGTH)
  .refine(isAccountId, 'not an account id');
const none = z.undefined();

type SchemaTable = { [C in RequestChannel]: z.ZodType<ArgsOf<C>> };

export const argSchemas = {
  'app:get-info': none,
  'providers:list': none,
  'providers:reload': none,
  'auth:sign-in': z.strictObject({
    providerId,
    method: z.enum(['browser', 'device']).optional(),
    linkTo: accountId.optional(),
  }),
  'auth:copy-link': z.strictObject({ providerId }),
  'auth:open-browser-again': z.strictObject({ providerId }),
  'auth:cancel': z.strictObject({ providerId }),
  'auth:sign-out': z.strictObject({ accountId }),
  'auth:refresh': z.strictObject({ accountId }),
  'session:list': none,
  'profile:list': none,
  'profile:unlink': z.strictObject({ accountId }),
  'log:list': none,
  'log:export': none,
} satisfies SchemaTable;
