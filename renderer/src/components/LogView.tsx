import { useEffect, useState } from 'react';
import type { LogEntry } from '../../../shared/log';
import { getApi } from '../api';
import { formatDuration } from '../format';

/** The redacted per-attempt timeline, newest first, with export to JSON. */
export function LogView() {
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
              <strong>{e.providerId}</strong> · {e.outcome} ·{' '}
              {new Date(e.startedAt).toLocaleString()}
              {e.durationMs !== null && <> · {formatDuration(e.durationMs)}</>}
              {e.accountId && <> · {e.accountId}</>}
            </p>
            <p className="muted small">
              {e.events
                .map(
                  (ev) =>
                    `${ev.step}${ev.count ? ` ×${ev.count}` : ''}${ev.port ? ` :${ev.port}` : ''}${ev.code ? ` [${ev.code}]` : ''} +${ev.at}ms`,
                )
                .join(' → ')}
            </p>
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
