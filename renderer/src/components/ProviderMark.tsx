import type { ProviderKind } from '../../../shared/provider-kinds';

/** One mark per kind (and a .mark-<kind> colour in styles.css, which a foundation test checks). */
const MARKS: Record<ProviderKind, { letter: string; label: string }> = {
  demo: { letter: 'D', label: 'Demo provider' },
  oidc: { letter: 'ID', label: 'OpenID Connect provider' },
  webex: { letter: 'W', label: 'Webex' },
  github: { letter: 'GH', label: 'GitHub' },
  xwms: { letter: 'X', label: 'XWMS' },
};

/** A small lettered badge per provider kind (no remote logos: the window loads nothing remote). */
export function ProviderMark({ kind }: { kind: ProviderKind }) {
  const mark = MARKS[kind];
  return (
    <span className={`mark mark-${kind}`} aria-hidden="true" title={mark.label}>
      {mark.letter}
    </span>
  );
}
