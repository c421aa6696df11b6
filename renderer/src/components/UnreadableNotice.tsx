import type { UnreadableItem } from '../../../shared/session';

/** Keychain items this version cannot read: left in place, named by `gatehouse doctor`. */
export function UnreadableNotice({ items }: { items: UnreadableItem[] | undefined }) {
  if (!items?.length) return null;
  const one = items.length === 1;
  return (
    <p className="muted small" role="status" data-testid="unreadable-items">
      {one ? '1 saved session' : `${items.length} saved sessions`} in the keychain could not be read
      and {one ? 'was' : 'were'} left untouched: another version of Gatehouse may have saved{' '}
      {one ? 'it' : 'them'}. <code>gatehouse doctor</code> lists {one ? 'it' : 'them'}.
    </p>
  );
}
