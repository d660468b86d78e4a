import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { QueryState, Section } from '../../components/display.js';
import { CheckboxGroup, Form, problemText, SubmitOrCancel, TextField } from '../../components/form.js';
import { AdminTabs } from './AdminTabs.js';
import { OneTimeSecret } from './OneTimeSecret.js';
import { ORGANISATION_ROLES, peopleQuery, PERMISSIONS, type Member, type Schemas } from './adminApi.js';

type OrgRole = (typeof ORGANISATION_ROLES)[number];
type Permission = Schemas['Permission'];

/** The organisation's people: invite, change roles, deactivate. */
export function OrganisationPeople() {
  const { t } = useTranslation();
  const session = useSession();
  const organisationId = session?.organisationId ?? '';
  const people = useQuery({ ...peopleQuery(organisationId), enabled: Boolean(session) });
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<{ name: string; token: string } | null>(null);
  return (
    <div>
      <h1>{t('admin.organisation.title')}</h1>
      <AdminTabs area="organisation" current="/organisation/people" />
      {invited && (
        <OneTimeSecret
          title={t('admin.people.invited', { name: invited.name })}
          label={t('admin.people.invitationToken')}
          value={invited.token}
          onDismiss={() => setInvited(null)}
        />
      )}
      <Section
        title={t('admin.people.title')}
        id="people"
        actions={
          !inviting && (
            <button type="button" onClick={() => setInviting(true)}>
              {t('admin.people.invite')}
            </button>
          )
        }
      >
        {inviting && (
          <InviteForm
            organisationId={organisationId}
            onDone={(result) => {
              setInviting(false);
              if (result) setInvited(result);
            }}
          />
        )}
        <QueryState query={people}>
          {(items) => (
            <ul className="plain">
              {items.map((p) => (
                <PersonRow key={p.personId} person={p} />
              ))}
            </ul>
          )}
        </QueryState>
      </Section>
    </div>
  );
}

function RolesFields(props: {
  roles: OrgRole[];
  permissions: Permission[];
  onRoles: (roles: OrgRole[]) => void;
  onPermissions: (permissions: Permission[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <CheckboxGroup
        legend={t('admin.people.roles')}
        pointer="/roles"
        options={ORGANISATION_ROLES.map((r) => ({ value: r, label: t(`admin.roles.${r}`) }))}
        selected={props.roles}
        onChange={props.onRoles}
      />
      <CheckboxGroup
        legend={t('admin.people.permissions')}
        pointer="/permissions"
        options={PERMISSIONS.map((p) => ({
          value: p,
          label: t(`admin.roles.${p}`),
          hint: t('admin.people.consentOverrideHint'),
        }))}
        selected={props.permissions}
        onChange={props.onPermissions}
      />
    </>
  );
}

function InviteForm(props: {
  organisationId: string;
  onDone: (invited: { name: string; token: string } | null) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<OrgRole[]>(['referral_officer']);
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const invite = useMutation({
    mutationFn: async () =>
      (
        await unwrap(
          registry.POST('/v1/people', {
            body: { organisationId: props.organisationId, email, displayName, roles, permissions },
          }),
        )
      ).data,
    onSuccess: async (data) => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'people'] });
      props.onDone({ name: displayName, token: data.invitationToken });
    },
  });
  return (
    <Form
      label={t('admin.people.inviteForm')}
      error={invite.error}
      onSubmit={() => invite.mutate()}
      actions={
        <SubmitOrCancel
          label={t('admin.people.sendInvitation')}
          onCancel={() => props.onDone(null)}
          pending={invite.isPending}
        />
      }
    >
      <TextField
        label={t('admin.people.name')}
        pointer="/displayName"
        value={displayName}
        onChange={setDisplayName}
        required
      />
      <TextField
        label={t('admin.people.email')}
        pointer="/email"
        type="email"
        value={email}
        onChange={setEmail}
        required
      />
      <RolesFields roles={roles} permissions={permissions} onRoles={setRoles} onPermissions={setPermissions} />
    </Form>
  );
}

function PersonRow(props: { person: Member }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const p = props.person;
  const [mode, setMode] = useState<'roles' | 'deactivate' | null>(null);
  const [roles, setRoles] = useState<OrgRole[]>(
    p.roles.filter((r): r is OrgRole => (ORGANISATION_ROLES as readonly string[]).includes(r)),
  );
  const [permissions, setPermissions] = useState<Permission[]>(p.permissions);
  const [reason, setReason] = useState('');
  const done = async () => {
    setMode(null);
    await queryClient.invalidateQueries({ queryKey: ['admin', 'people'] });
  };
  const changeRoles = useMutation({
    mutationFn: async () =>
      unwrap(
        registry.PUT('/v1/people/{id}/roles', { params: { path: { id: p.personId } }, body: { roles, permissions } }),
      ),
    onSuccess: done,
  });
  const deactivate = useMutation({
    mutationFn: async () =>
      unwrap(
        registry.POST('/v1/people/{id}/deactivate', {
          params: { path: { id: p.personId } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: done,
  });
  const live = p.status !== 'deactivated';
  return (
    <li className="card">
      <div className="card-header">
        <h3>
          <bdi>{p.displayName}</bdi>
        </h3>
        <span
          className={`badge status-${p.status === 'active' ? 'accepted' : p.status === 'invited' ? 'requested' : 'cancelled'}`}
        >
          {t(`admin.people.status.${p.status}`)}
        </span>
      </div>
      <p>
        <bdi>{p.email}</bdi> — {[...p.roles, ...p.permissions].map((r) => t(`admin.roles.${r}`)).join(', ')}
      </p>
      {live && mode === null && (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setMode('roles')}>
            {t('admin.people.changeRoles')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setMode('deactivate')}>
            {t('admin.people.deactivate')}
          </button>
        </div>
      )}
      {mode === 'roles' && (
        <Form
          label={t('admin.people.rolesOf', { name: p.displayName })}
          error={changeRoles.error}
          onSubmit={() => changeRoles.mutate()}
          actions={
            <SubmitOrCancel label={t('common.save')} onCancel={() => setMode(null)} pending={changeRoles.isPending} />
          }
        >
          <RolesFields roles={roles} permissions={permissions} onRoles={setRoles} onPermissions={setPermissions} />
        </Form>
      )}
      {mode === 'deactivate' && (
        <Form
          label={t('admin.people.deactivateOf', { name: p.displayName })}
          error={deactivate.error}
          onSubmit={() => deactivate.mutate()}
          actions={
            <SubmitOrCancel
              label={t('admin.people.deactivateConfirm')}
              danger
              onCancel={() => setMode(null)}
              pending={deactivate.isPending}
            />
          }
        >
          <p className="hint">{t('admin.people.deactivateHint')}</p>
          <TextField label={t('admin.reason')} pointer="/reason" value={reason} onChange={setReason} />
        </Form>
      )}
      {(changeRoles.error || deactivate.error) && mode === null ? (
        <div className="alert alert-error" role="alert">
          {problemText(changeRoles.error ?? deactivate.error, t)}
        </div>
      ) : null}
    </li>
  );
}
