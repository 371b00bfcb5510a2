import { useEffect, useState } from 'react';
import { type ConnectionState, nextRetry, retryConnection } from '../api';

// The connection's state where an operator sees it: across the top of every page, never only in
// the sidebar. Browser mode only (the desktop app's IPC does not drop).

export function ConnectionBanner({ state }: { state: ConnectionState }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (state !== 'closed') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [state]);
  if (state === 'ipc' || state === 'websocket') return null;
  const retry = nextRetry();
  const seconds = retry === null ? null : Math.max(0, Math.ceil((retry - Date.now()) / 1000));
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      {state === 'closed' && (
        <>
          <strong>Lost the connection to PumpDeck.</strong> What is on screen may be out of date, and nothing you do is
          sent. {seconds === null ? 'Reconnecting…' : `Reconnecting in ${seconds} s.`}{' '}
          <button type="button" onClick={retryConnection}>
            Retry now
          </button>
        </>
      )}
      {state === 'unauthorized' && (
        <>
          <strong>This address's token is no longer valid:</strong> PumpDeck was restarted. Open the new address that{' '}
          <code>pumpdeck serve</code> printed.
        </>
      )}
      {state === 'no-token' && (
        <>
          <strong>This address has no token.</strong> Browser mode needs the full address that{' '}
          <code>pumpdeck serve</code> printed (it ends in <code>?token=…</code>); run <code>pumpdeck serve</code> and
          open the address it prints.
        </>
      )}
    </div>
  );
}
