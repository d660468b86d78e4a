import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { QueryState, Section } from '../../components/display.js';
import { CheckboxGroup, Form, problemText, SubmitOrCancel, TextField } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { AdminTabs } from './AdminTabs.js';
import { OneTimeSecret } from './OneTimeSecret.js';
import { apiClientsQuery, GRANTABLE_SCOPES, type ApiClientRecord } from './adminApi.js';

type Scope = (typeof GRANTABLE_SCOPES)[number];
interface Shown {
  name: string;
  clientId: string;
  secret: string;
}

/** Partner systems' OAuth2 clients: create (the secret is shown once), rotate the secret, revoke. */
export function ApiClients() {
  const { t } = useTranslation();
  const session = useSession();
  const organisationId = session?.organisationId ?? '';
  const clients = useQuery({ ...apiClientsQuery(organisationId), enabled: Boolean(session) });
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  return (
    <div>
      <h1>{t('admin.organisation.title')}</h1>
      <AdminTabs area="organisation" current="/organisation/api-clients" />
      <p className="lead">{t('admin.clients.intro')}</p>
      {shown && (
        <OneTimeSecret
          title={t('admin.clients.secretFor', { name: shown.name, clientId: shown.clientId })}
          label={t('admin.clients.secret')}
          value={shown.secret}
          onDismiss={() => setShown(null)}
        />
      )}
      <Section
        title={t('admin.clients.title')}
        id="api-clients"
        actions={
          !creating && (
            <button type="button" onClick={() => setCreating(true)}>
              {t('admin.clients.create')}
            </button>
          )
        }
      >
        {creating && (
          <CreateClientForm
            organisationId={organisationId}
            onDone={(result) => {
              setCreating(false);
              if (result) setShown(result);
            }}
          />
        )}
        <QueryState query={clients}>
          {(items) =>
            items.length === 0 ? (
              <p className="muted">{t('admin.clients.none')}</p>
            ) : (
              <ul className="plain">
                {items.map((c) => (
                  <ClientRow key={c.clientId} client={c} onSecret={setShown} />
                ))}
              </ul>
            )
          }
        </QueryState>
      </Section>
    </div>
  );
}

function CreateClientForm(props: { organisationId: string; onDone: (shown: Shown | null) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['directory:read']);
  const create = useMutation({
    mutationFn: async () =>
      (await unwrap(registry.POST('/v1/api-clients', { body: { organisationId: props.organisationId, name, scopes } })))
        .data,
    onSuccess: async (data) => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'api-clients'] });
      props.onDone({ name, clientId: data.clientId, secret: data.clientSecret });
    },
  });
  return (
    <Form
      label={t('admin.clients.createForm')}
      error={create.error}
      onSubmit={() => create.mutate()}
      actions={
        <SubmitOrCancel
          label={t('admin.clients.create')}
          onCancel={() => props.onDone(null)}
          pending={create.isPending}
        />
      }
    >
      <TextField label={t('admin.clients.name')} pointer="/name" value={name} onChange={setName} required />
      <CheckboxGroup
        legend={t('admin.clients.scopes')}
        pointer="/scopes"
        hint={t('admin.clients.scopesHint')}
        options={GRANTABLE_SCOPES.map((s) => ({ value: s, label: t(`admin.scopes.${s.replace(':', '_')}`) }))}
        selected={scopes}
        onChange={setScopes}
      />
    </Form>
  );
}

function ClientRow(props: { client: ApiClientRecord; onSecret: (shown: Shown) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const c = props.client;
  const [revoking, setRevoking] = useState(false);
  const [reason, setReason] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'api-clients'] });
  const rotate = useMutation({
    mutationFn: async () =>
      (await unwrap(registry.POST('/v1/api-clients/{id}/rotate', { params: { path: { id: c.clientId } } }))).data,
    onSuccess: async (data) => {
      props.onSecret({ name: c.name, clientId: data.clientId, secret: data.clientSecret });
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: async () =>
      unwrap(
        registry.POST('/v1/api-clients/{id}/revoke', {
          params: { path: { id: c.clientId } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: async () => {
      setRevoking(false);
      await refresh();
    },
  });
  const active = c.status === 'active';
  return (
    <li className="card">
      <div className="card-header">
        <h3>
          <bdi>{c.name}</bdi>
        </h3>
        <span className={`badge status-${active ? 'accepted' : 'cancelled'}`}>
          {t(`admin.clients.status.${c.status}`)}
        </span>
      </div>
      <dl className="facts">
        <dt>{t('admin.clients.clientId')}</dt>
        <dd>
          <code>{c.clientId}</code>
        </dd>
        <dt>{t('admin.clients.scopes')}</dt>
        <dd>{c.scopes.map((s) => t(`admin.scopes.${s.replace(':', '_')}`)).join(', ')}</dd>
        <dt>{t('admin.clients.createdAt')}</dt>
        <dd>{format.dateTime(c.createdAt)}</dd>
        <dt>{t('admin.clients.rotatedAt')}</dt>
        <dd>{c.secretRotatedAt ? format.dateTime(c.secretRotatedAt) : t('admin.clients.never')}</dd>
        {c.revokedAt && (
          <>
            <dt>{t('admin.clients.revokedAt')}</dt>
            <dd>{format.dateTime(c.revokedAt)}</dd>
          </>
        )}
      </dl>
      {active && !revoking && (
        <div className="actions">
          <button
            type="button"
            className="button-secondary"
            onClick={() => rotate.mutate()}
            disabled={rotate.isPending}
          >
            {t('admin.clients.rotate')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setRevoking(true)}>
            {t('admin.clients.revoke')}
          </button>
        </div>
      )}
      {rotate.error ? (
        <div className="alert alert-error" role="alert">
          {problemText(rotate.error, t)}
        </div>
      ) : null}
      {revoking && (
        <Form
          label={t('admin.clients.revokeOf', { name: c.name })}
          error={revoke.error}
          onSubmit={() => revoke.mutate()}
          actions={
            <SubmitOrCancel
              label={t('admin.clients.revokeConfirm')}
              danger
              onCancel={() => setRevoking(false)}
              pending={revoke.isPending}
            />
          }
        >
          <p className="hint">{t('admin.clients.revokeHint')}</p>
          <TextField label={t('admin.reason')} pointer="/reason" value={reason} onChange={setReason} />
        </Form>
      )}
    </li>
  );
}
