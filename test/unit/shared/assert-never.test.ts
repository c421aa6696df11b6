/**
 * shared/assert-never.ts: the exhaustiveness guard. At compile time an unhandled variant is a type
 * error; at run time (a value from outside the types, such as a newer main process's status) it
 * throws with what was not handled.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { assertNever } from '../../../shared/assert-never';

type Status = { kind: 'waiting'; deadline: number } | { kind: 'done' };

function describeStatus(status: Status): string {
  switch (status.kind) {
    case 'waiting':
      return `waiting until ${status.deadline}`;
    case 'done':
      return 'done';
    default:
      return assertNever(status, 'status');
  }
}

describe('assertNever', () => {
  it('throws naming what was not handled and the value, as JSON', () => {
    const unknown = { kind: 'teleporting', to: 'mars' } as unknown as Status;
    expect(() => describeStatus(unknown)).toThrow(
      new Error('Unhandled status: {"kind":"teleporting","to":"mars"}'),
    );
  });

  it('calls it "value" when not told what it is', () => {
    expect(() => assertNever('x' as never)).toThrow('Unhandled value: "x"');
    expect(() => assertNever(undefined as never)).toThrow('Unhandled value: undefined');
  });

  it('lets every known variant through the exhaustive switch', () => {
    expect(describeStatus({ kind: 'waiting', deadline: 5 })).toBe('waiting until 5');
    expect(describeStatus({ kind: 'done' })).toBe('done');
  });

  it('refuses, at compile time, a value that is not never', () => {
    expectTypeOf(assertNever).parameter(0).toEqualTypeOf<never>();
    // @ts-expect-error: a string is a variant left unhandled
    expect(() => assertNever('left over')).toThrow();
  });
});
