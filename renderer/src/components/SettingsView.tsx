import type { AppInfo } from '../../../shared/app-info';
import type { ProvidersList } from '../../../shared/ipc';
import type { ThemeChoice } from '../hooks/use-theme';

interface Props {
  info: AppInfo | null;
  providers: ProvidersList | null;
  theme: ThemeChoice;
  onTheme: (t: ThemeChoice) => void;
  onReload: () => void;
}

/** Where the configuration lives (with reload), where tokens are kept, and the theme. */
export function SettingsView({ info, providers, theme, onTheme, onReload }: Props) {
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <dl className="facts">
        <dt>Provider configuration</dt>
        <dd>
          <code data-testid="config-path">{providers?.configPath ?? info?.configPath}</code>{' '}
          <button type="button" className="secondary" onClick={onReload}>
            Reload configuration
          </button>
        </dd>
        <dt>Where tokens are kept</dt>
        <dd data-testid="storage">
          {info?.storage.kind === 'keychain'
            ? info.storage.name
            : `Memory only — not remembered (${info?.storage.kind === 'memory' ? info.storage.reason : ''})`}
        </dd>
      </dl>
      <fieldset className="theme">
        <legend>Theme</legend>
        {(['system', 'light', 'dark'] as const).map((t) => (
          <label key={t}>
            <input
              type="radio"
              name="theme"
              value={t}
              checked={theme === t}
              onChange={() => onTheme(t)}
            />{' '}
            {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
