import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { signIn, type SessionView } from '../api/session.js';
import { sessionQuery } from '../api/queries.js';
import { Form, TextField } from '../components/form.js';

export function SignInForm(props: { onSignedIn: (session: SessionView) => void | Promise<void> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => signIn(email, password),
    onSuccess: async (session) => {
      queryClient.setQueryData(sessionQuery.queryKey, session);
      setPassword('');
      await props.onSignedIn(session);
    },
  });
  return (
    <Form
      label={t('signIn.title')}
      onSubmit={() => mutation.mutate()}
      error={mutation.error}
      actions={
        <button type="submit" disabled={mutation.isPending}>
          {t('signIn.submit')}
        </button>
      }
    >
      <TextField
        label={t('signIn.email')}
        pointer="/email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={setEmail}
        required
      />
      <TextField
        label={t('signIn.password')}
        pointer="/password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        required
      />
    </Form>
  );
}

export function SignIn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as { redirect?: string };
  return (
    <div className="narrow">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      <SignInForm
        onSignedIn={async () => {
          const target =
            search.redirect && search.redirect.startsWith('/') && !search.redirect.startsWith('//')
              ? search.redirect
              : '/';
          await navigate({ to: target });
        }}
      />
    </div>
  );
}
