import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { onSessionEnded, signOut } from '../api/session.js';
import { sessionQuery, useSession } from '../api/queries.js';
import { changeLanguage } from '../i18n/i18n.js';
import { isLanguage, LANGUAGES } from '../i18n/languages.js';
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

export function Shell() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const officer = session?.roles.includes('referral_officer') ?? false;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <Link to="/">{t('shell.brand')}</Link>
        </div>
        <nav aria-label={t('shell.navigation')}>
          <ul>
            {officer && (
              <>
                <li>
                  <Link to="/caseload" activeProps={{ 'aria-current': 'page' }}>
                    {t('nav.caseload')}
                  </Link>
                </li>
                <li>
                  <Link to="/referrals" search={{ box: 'inbox' }} activeProps={{ 'aria-current': 'page' }}>
                    {t('nav.referrals')}
                  </Link>
                </li>
              </>
            )}
            <li>
              <Link to="/directory" activeProps={{ 'aria-current': 'page' }}>
                {t('nav.directory')}
              </Link>
            </li>
            {session?.roles.includes('org_admin') && (
              <li>
                <Link to="/webhooks" activeProps={{ 'aria-current': 'page' }}>
                  {t('nav.webhooks')}
                </Link>
              </li>
            )}
            {session && (
              <li>
                <Link to="/settings/notifications" activeProps={{ 'aria-current': 'page' }}>
                  {t('nav.notifications')}
                </Link>
              </li>
            )}
          </ul>
        </nav>
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
