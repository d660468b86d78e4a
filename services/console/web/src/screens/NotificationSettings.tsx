import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components as Registry } from '@estia/contracts/generated/openapi.registry.js';
import { registry, unwrap } from '../api/clients.js';
import { QueryState } from '../components/display.js';
import { Form, SelectField } from '../components/form.js';
import { LANGUAGES } from '../i18n/languages.js';

type Preferences = Registry['schemas']['NotificationPreferences'];
type Kind = keyof Preferences['kinds'];
const KINDS: readonly Kind[] = [
  'referral-received',
  'referral-accepted',
  'referral-rejected',
  'referral-completed',
  'referral-expired',
  'access-request-answered',
  'access-request-received',
  'deadline-approaching',
  'follow-up-due',
  'membership-decision',
  'webhook-disabled',
];
const MODES = ['immediate', 'daily', 'off'] as const;

/** The signed-in person's e-mail notifications: per kind at once, in the daily digest, or not at all. */
export function NotificationSettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: ['notification-preferences'],
    queryFn: async () => (await unwrap(registry.GET('/v1/me/notification-preferences'))).data,
  });
  const [draft, setDraft] = useState<Preferences | null>(null);
  useEffect(() => {
    if (current.data && draft === null) setDraft(current.data);
  }, [current.data, draft]);
  const save = useMutation({
    mutationFn: async (next: Preferences) =>
      (await unwrap(registry.PUT('/v1/me/notification-preferences', { body: next }))).data,
    onSuccess: (saved) => {
      queryClient.setQueryData(['notification-preferences'], saved);
      setDraft(saved);
    },
  });
  return (
    <div>
      <h1>{t('notifications.title')}</h1>
      <p className="lead">{t('notifications.intro')}</p>
      <QueryState query={current}>
        {() =>
          draft && (
            <Form
              onSubmit={() => save.mutate(draft)}
              error={save.error}
              label={t('notifications.title')}
              actions={
                <button type="submit" disabled={save.isPending}>
                  {t('notifications.save')}
                </button>
              }
            >
              <SelectField
                label={t('notifications.language')}
                pointer="/body/language"
                value={draft.language}
                onChange={(language) => setDraft({ ...draft, language: language as Preferences['language'] })}
                options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
              />
              {KINDS.map((kind) => (
                <SelectField
                  key={kind}
                  label={t(`notifications.kinds.${kind}`)}
                  pointer={`/body/kinds/${kind}`}
                  value={draft.kinds[kind] ?? 'off'}
                  onChange={(mode) => setDraft({ ...draft, kinds: { ...draft.kinds, [kind]: mode } })}
                  options={MODES.map((m) => ({ value: m, label: t(`notifications.modes.${m}`) }))}
                />
              ))}
              {save.isSuccess && (
                <p className="muted" role="status">
                  {t('notifications.saved')}
                </p>
              )}
            </Form>
          )
        }
      </QueryState>
    </div>
  );
}
