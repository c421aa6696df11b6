import { useState } from 'react';
import type { ProviderInfo } from '../../../shared/session';
import { redirectRule, SETUP_GUIDES, splitPath } from '../setup-guide';
import { CopyButton } from './CopyButton';
import { ProviderMark } from './ProviderMark';

interface Props {
  /** The providers that are not set up. */
  providers: ProviderInfo[];
  /** No provider is ready: the section is the first screen, open, titled "Set up a provider". */
  lead: boolean;
  packaged: boolean;
  configPath: string | null;
  onReload: () => void;
}

/**
 * Providers that are not set up, each with its set-up steps. Behind one collapsed disclosure
 * when another provider is ready; the window's lead when none is.
 */
export function SetupSection({ providers, lead, packaged, configPath, onReload }: Props) {
  const [open, setOpen] = useState(false);
  if (providers.length === 0) return null;
  const list = (shown: boolean) => (
    <ul className="setup-list" id="setup-list" hidden={!shown}>
      {providers.map((p) => (
        <SetupItem key={p.id} provider={p} configPath={configPath} onReload={onReload} />
      ))}
    </ul>
  );
  if (lead) {
    return (
      <section aria-labelledby="setup-title" className="panel" data-testid="set-up">
        <h2 id="setup-title">Set up a provider</h2>
        <p>
          {packaged
            ? 'Gatehouse signs you in with a provider you have registered it with.'
            : 'No provider is ready to sign in with yet.'}{' '}
          Pick one to see what to register, and where its settings go.
        </p>
        {list(true)}
      </section>
    );
  }
  return (
    <div className="setup" data-testid="set-up">
      <button
        type="button"
        className="ghost"
        aria-expanded={open}
        aria-controls="setup-list"
        onClick={() => setOpen((v) => !v)}
      >
        <span className="caret" aria-hidden="true">
          ▸
        </span>
        Set up another provider <span className="muted">({providers.length})</span>
      </button>
      {list(open)}
    </div>
  );
}

function SetupItem({
  provider,
  configPath,
  onReload,
}: {
  provider: ProviderInfo;
  configPath: string | null;
  onReload: () => void;
}) {
  const [open, setOpen] = useState(false);
  const id = `setup-${provider.id}`;
  return (
    <li className="setup-item">
      <div className="setup-head">
        <ProviderMark kind={provider.kind} />
        <div className="provider-body">
          <span className="provider-name">{provider.displayName}</span>
          <span className="muted small"> · not set up yet</span>
        </div>
        <button
          type="button"
          className="secondary"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen((v) => !v)}
        >
          <span className="caret" aria-hidden="true">
            ▸
          </span>
          Set up {provider.displayName}
        </button>
      </div>
      <div className="setup-steps" id={id} hidden={!open}>
        <SetupSteps provider={provider} configPath={configPath} onReload={onReload} />
      </div>
    </li>
  );
}

function SetupSteps({
  provider,
  configPath,
  onReload,
}: {
  provider: ProviderInfo;
  configPath: string | null;
  onReload: () => void;
}) {
  const guide = SETUP_GUIDES[provider.kind];
  const uris = provider.redirectUris ?? [];
  const fixedPorts = uris.some((u) => /^http:\/\/127\.0\.0\.1:\d+\//.test(u));
  const names = provider.envNames ?? [];
  const optional = new Set(provider.optionalEnvNames ?? []);
  const env = names.map((n) => (optional.has(n) ? `# ${n}=   (optional)` : `${n}=`)).join('\n');
  const file = configPath ? splitPath(configPath) : null;
  return (
    <>
      <ol className="steps">
        <li>
          <strong>Register Gatehouse.</strong> {guide.register}
        </li>
        {uris.length > 0 && (
          <li>
            <strong>{guide.redirectLabel}:</strong>
            <ul className="plain">
              {uris.map((uri) => (
                <li key={uri} className="copy-row">
                  <code>{uri}</code>{' '}
                  <CopyButton text={uri} what={`${guide.redirectLabel} ${uri}`} />
                </li>
              ))}
            </ul>
            <p className="muted small">
              {guide.redirectNote ?? redirectRule(uris.length, fixedPorts)}
            </p>
          </li>
        )}
        {names.length > 0 && (
          <li>
            <strong>Put its values in a file named .env</strong> beside{' '}
            <code>{file?.name ?? 'providers.json'}</code> (or in the environment):
            <pre className="env-block">{env}</pre>
            <div className="row">
              <CopyButton text={`${env}\n`} what={`.env lines for ${provider.displayName}`} />
              {file?.folder && <CopyButton text={file.folder} label="Copy the folder's path" />}
            </div>
            {guide.envNote && <p className="muted small">{guide.envNote}</p>}
          </li>
        )}
        <li>
          <strong>Then reload the configuration.</strong>{' '}
          <button type="button" className="secondary compact" onClick={onReload}>
            Reload configuration
          </button>
        </li>
      </ol>
      {provider.configErrors.length > 0 && (
        <>
          <p className="small">What is missing now:</p>
          <ul className="problems" aria-label={`Problems with ${provider.displayName}`}>
            {provider.configErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        Every step, with what Gatehouse does with these values: the README, section “{guide.readme}
        ”.
      </p>
    </>
  );
}
