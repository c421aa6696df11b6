/**
 * One entry of "providers", checked on its own so that one bad entry leaves the others working.
 * An entry with a usable id and kind but something wrong is still listed, with its problems (it
 * refuses to sign in); one without is reported in the file's error only.
 */
import { PROVIDER_KINDS, type ProviderKind } from '../../shared/provider-kinds';
import { parseReference } from './env';
import { describeIssues } from './issues';
import { referenceProblems, type FieldProblem, type ReferenceRules } from './references';
import {
  providerDisplayNameSchema,
  providerIdSchema,
  providerSchemaByKind,
  type ProviderConfig,
} from './schema';
import { nearest } from './suggest';

export type EntryVerdict =
  | { verdict: 'valid'; config: ProviderConfig }
  | {
      verdict: 'listed';
      id: string;
      kind: ProviderKind;
      displayName?: string;
      problems: FieldProblem[];
    }
  | { verdict: 'dropped'; problems: FieldProblem[] };

/** An entry that cannot become a working provider. */
export type Refused = Exclude<EntryVerdict, { verdict: 'valid' }>;

export function checkEntry(entry: unknown, rules: ReferenceRules): EntryVerdict {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry))
    return {
      verdict: 'dropped',
      problems: [{ path: [], message: 'must be an object with an id and a kind' }],
    };
  const fields = entry as Record<string, unknown>;
  const kind = kindOf(fields.kind);
  if (typeof kind !== 'string')
    return { verdict: 'dropped', problems: [kind, ...idProblem(fields.id)] };
  const { config, problems } = checkSchema(kind, entry);
  if (config) problems.push(...referenceProblems(config, rules));
  if (config && problems.length === 0) return { verdict: 'valid', config };
  return listedOrDropped(fields, kind, problems);
}

/** A valid entry whose variable turned out unusable: listed with that problem. */
export function listed(config: ProviderConfig, problem: FieldProblem): Refused {
  return listedOrDropped(config, config.kind, [problem]);
}

function listedOrDropped(
  fields: Record<string, unknown>,
  kind: ProviderKind,
  problems: FieldProblem[],
): Refused {
  const id = providerIdSchema.safeParse(fields.id);
  if (!id.success) return { verdict: 'dropped', problems };
  const name = providerDisplayNameSchema.safeParse(fields.displayName);
  // A "${NAME}" display name is never expanded, so the entry is listed under its id instead.
  const displayName = name.success && !parseReference(name.data) ? { displayName: name.data } : {};
  return { verdict: 'listed', id: id.data, kind, ...displayName, problems };
}

/** Every schema issue of the kind's schema, unknown keys with the kind's known keys. */
function checkSchema(
  kind: ProviderKind,
  entry: unknown,
): { config: ProviderConfig | null; problems: FieldProblem[] } {
  const schema = providerSchemaByKind[kind];
  const parsed = schema.safeParse(entry);
  if (parsed.success) return { config: parsed.data as ProviderConfig, problems: [] };
  const known = Object.keys(schema.shape);
  return { config: null, problems: describeIssues(parsed.error.issues, entry, known) };
}

/** The entry's kind, or the problem with it (the kind itself is not echoed: it is file text). */
function kindOf(value: unknown): ProviderKind | FieldProblem {
  const kinds: readonly string[] = PROVIDER_KINDS;
  if (typeof value === 'string' && kinds.includes(value)) return value as ProviderKind;
  const list = PROVIDER_KINDS.join(', ');
  if (value === undefined) return { path: ['kind'], message: `is missing (one of ${list})` };
  const guess = typeof value === 'string' ? nearest(value, kinds) : null;
  const message = guess
    ? `is not a provider kind; did you mean "${guess}"?`
    : `is not a provider kind (one of ${list})`;
  return { path: ['kind'], message };
}

function idProblem(value: unknown): FieldProblem[] {
  const parsed = providerIdSchema.safeParse(value);
  if (parsed.success) return [];
  return [
    {
      path: ['id'],
      message:
        value === undefined
          ? 'is missing'
          : (parsed.error.issues[0]?.message ?? 'is not a usable id'),
    },
  ];
}
