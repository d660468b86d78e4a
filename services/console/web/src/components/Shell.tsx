import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { fetchSession, onSessionEnded, signOut } from '../api/session.js';
import { sessionQuery, useSession } from '../api/queries.js';
import { changeLanguage } from '../i18n/i18n.js';
import { isLanguage, LANGUAGES } from '../i18n/languages.js';
import { MainNavigation } from '../navigation.js';
import { SignInForm } from '../screens/SignIn.js';

function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language">
      <label htmlFor="language">{t('shell.language')}</label>
      <select
        id="language"
        value={i18n.resolvedLanguage ?? 'en'}
        onChange={(e) => {
          if (isLanguage(e.target.value)) void changeLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * When a call finds the session ended (idle, token expired), the page stays as it is and a dialog asks
 * the person to sign in again; what they typed is still there afterwards.
 */
function SessionEndedDialog() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const session = useSession();
  useEffect(
    () =>
      onSessionEnded(() => {
        if (queryClient.getQueryData(sessionQuery.queryKey)) setOpen(true);
      }),
    [queryClient],
  );
  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);
  if (!session && !open) return null;
  return (
    <dialog ref={dialog} aria-labelledby="session-ended-title" onCancel={(e) => e.preventDefault()}>
      <h2 id="session-ended-title">{t('session.endedTitle')}</h2>
      <p>{t('session.endedText')}</p>
      <SignInForm
        onSignedIn={async () => {
          setOpen(false);
          await queryClient.invalidateQueries();
        }}
      />
    </dialog>
  );
}

/** How often, at most, a person's typing or clicking tells the back end they are still at work. */
const ACTIVITY_PING_MS = 2 * 60_000;

/**
 * A person writing a long note makes no calls for minutes: their keys and clicks keep the session (and
 * its token, refreshed by the back end) alive, at most one ping per ACTIVITY_PING_MS. Idle pages still end.
 */
function useActivityKeepAlive(signedIn: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!signedIn) return;
    let last = Date.now();
    const onActivity = () => {
      if (Date.now() - last < ACTIVITY_PING_MS) return;
      last = Date.now();
      void fetchSession()
        .then((session) => queryClient.setQueryData(sessionQuery.queryKey, session))
        .catch(() => undefined);
    };
    window.addEventListener('keydown', onActivity);
    window.addEventListener('pointerdown', onActivity);
    return () => {
      window.removeEventListener('keydown', onActivity);
      window.removeEventListener('pointerdown', onActivity);
    };
  }, [signedIn, queryClient]);
}

export function Shell() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  useActivityKeepAlive(Boolean(session));
  return (
    <>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <Link to="/">{t('shell.brand')}</Link>
        </div>
        <MainNavigation roles={session?.roles ?? []} />
        <div className="tools">
          <LanguageSelect />
          {session ? (
            <button
              type="button"
              className="button-secondary"
              onClick={async () => {
                await signOut();
                queryClient.clear();
                await navigate({ to: '/sign-in' });
              }}
            >
              {t('shell.signOut')}
            </button>
          ) : (
            <Link className="button-link" to="/sign-in">
              {t('signIn.submit')}
            </Link>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="bottom">
        <p>{t('shell.footer')}</p>
      </footer>
      <SessionEndedDialog />
    </>
  );
}
