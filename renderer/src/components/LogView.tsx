import { useEffect, useState } from 'react';
import type { LogEntry } from '../../../shared/log';
import type { ProviderInfo } from '../../../shared/session';
import { getApi } from '../api';
import { ERROR_MESSAGES } from '../../../shared/error-messages';
import { formatDuration } from '../format';

const OUTCOMES: Record<LogEntry['outcome'], string> = {
  pending: 'in progress',
  'signed-in': 'signed in',
  failed: 'did not complete',
  cancelled: 'cancelled',
  refresh: 'session renewal',
  'sign-out': 'signed out',
};

/** The entry in words: the provider's name, what happened, and the failure's sentence. */
function summary(entry: LogEntry, providers: ProviderInfo[]): string {
  const name = providers.find((p) => p.id === entry.providerId)?.displayName ?? entry.providerId;
  const code = entry.outcome === 'failed' ? entry.events.findLast((e) => e.code)?.code : undefined;
  const why = code ? ` · ${(ERROR_MESSAGES[code] ?? ERROR_MESSAGES.internal).sentence}` : '';
  return `${name} · ${OUTCOMES[entry.outcome]}${why}`;
}

/**
 * The redacted per-attempt timeline, newest first, with export to JSON. Each entry says what
 * happened in words; its ids and step timings are behind "Details".
 */
export function LogView({ providers }: { providers: ProviderInfo[] }) {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [exported, setExported] = useState<string | null>(null);
  useEffect(() => {
    void getApi()
      .listLog()
      .then((r) => r.ok && setEntries([...r.value].reverse()));
  }, []);

  const exportJson = async () => {
    const result = await getApi().exportLog();
    if (!result.ok) return;
    setExported(result.value.json);
    const url = URL.createObjectURL(new Blob([result.value.json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'gatehouse-sign-in-log.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section className="panel" aria-labelledby="log-title">
      <div className="row spread">
        <h2 id="log-title">Sign-in log</h2>
        <button type="button" className="secondary" onClick={() => void exportJson()}>
          Export to JSON
        </button>
      </div>
      <p className="muted small">
        Each attempt's steps, without any token, code or secret. Kept after sign-out.
      </p>
      {entries.length === 0 && <p className="muted">No sign-ins yet.</p>}
      <ol className="log">
        {entries.map((e) => (
          <li key={e.attemptId} className={`log-entry outcome-${e.outcome}`}>
            <p>
              <strong>{summary(e, providers)}</strong>
            </p>
            <p className="muted small">
              {new Date(e.startedAt).toLocaleString()}
              {e.durationMs !== null && <> · took {formatDuration(e.durationMs)}</>}
            </p>
            <details>
              <summary>Details</summary>
              <p className="muted small">
                Provider <code>{e.providerId}</code>
                {e.accountId && (
                  <>
                    {' '}
                    · account <code>{e.accountId}</code>
                  </>
                )}
              </p>
              <p className="muted small">
                {e.events
                  .map(
                    (ev) =>
                      `${ev.step}${ev.count ? ` ×${ev.count}` : ''}${ev.port ? ` :${ev.port}` : ''}${ev.code ? ` [${ev.code}]` : ''} +${ev.at}ms`,
                  )
                  .join(' → ')}
              </p>
            </details>
          </li>
        ))}
      </ol>
      {exported && (
        <label className="export">
          Exported JSON
          <textarea readOnly value={exported} rows={6} />
        </label>
      )}
    </section>
  );
}
