/** Exhaustiveness guard for tagged unions: a new variant that is not handled fails the type check. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
