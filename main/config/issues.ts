/**
 * Schema issues in plain words: every issue, not the first, each at its path, an unknown key
 * with the known key it was probably meant to be, a missing field as "is missing".
 */
import type { z } from 'zod';
import type { FieldProblem } from './references';
import { nearest } from './suggest';

/** `issues` from a safeParse of `input`; `known` is the keys the object at the issue's path takes. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  known: readonly string[],
): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        path: [...issue.path, key],
        message: unknownKey(key, known),
      }));
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined)
      return [{ path: issue.path, message: 'is missing' }];
    return [{ path: issue.path, message: issue.message }];
  });
}

export function unknownKey(key: string, known: readonly string[]): string {
  const guess = nearest(key, known);
  return guess
    ? `is not a known key; did you mean "${guess}"?`
    : `is not a known key (the keys are ${known.join(', ')})`;
}

/** "providers[1].issuer": a path as the file spells it; the file itself when empty. */
export function pathText(path: readonly PropertyKey[]): string {
  const text = path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  );
  return text || '(file)';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const part of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}
