import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { QueryState } from '../../components/display.js';
import { useFormat } from '../../i18n/format.js';
import { AdminTabs } from './AdminTabs.js';
import { LicenceForm } from './LicenceForm.js';
import {
  daysUntil,
  LICENCE_WARNING_DAYS,
  organisationsQuery,
  type OrganisationSummary,
  type Schemas,
} from './adminApi.js';

const MEMBER_STATUSES: readonly Schemas['OrganisationStatus'][] = ['approved', 'suspended'];

/** The members with their licences, soonest to end first; renew in place. */
export function NetworkMembers() {
  const { t } = useTranslation();
  const organisations = useQuery(organisationsQuery());
  return (
    <div>
      <h1>{t('admin.network.title')}</h1>
      <AdminTabs area="network" current="/network/members" />
      <p className="lead">{t('admin.licences.intro', { days: LICENCE_WARNING_DAYS })}</p>
      <QueryState query={organisations}>
        {(items) => {
          const members = items
            .filter((o) => MEMBER_STATUSES.includes(o.status))
            .sort(
              (a, b) =>
                (a.licenceValidUntil ?? '').localeCompare(b.licenceValidUntil ?? '') || a.name.localeCompare(b.name),
            );
          return members.length === 0 ? (
            <p className="muted">{t('admin.licences.noMembers')}</p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">{t('admin.licences.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.organisation.name')}</th>
                  <th scope="col">{t('admin.organisation.status')}</th>
                  <th scope="col">{t('admin.licences.validUntilColumn')}</th>
                  <th scope="col">{t('admin.licences.codeVersion')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('admin.licences.renew')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((o) => (
                  <MemberRow key={o.organisationId} member={o} />
                ))}
              </tbody>
            </table>
          );
        }}
      </QueryState>
    </div>
  );
}

function LicenceBadge(props: { validUntil: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!props.validUntil) return <span className="badge badge-overdue">{t('admin.licences.none')}</span>;
  const days = daysUntil(props.validUntil);
  if (days < 0) return <span className="badge badge-overdue">{t('admin.licences.expired')}</span>;
  if (days <= LICENCE_WARNING_DAYS)
    return <span className="badge badge-warning">{t('admin.licences.endsIn', { days: format.number(days) })}</span>;
  return null;
}

function MemberRow(props: { member: OrganisationSummary }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const o = props.member;
  const [renewing, setRenewing] = useState(false);
  const renew = useMutation({
    mutationFn: async (licence: Schemas['Licence']) =>
      unwrap(
        registry.PUT('/v1/organisations/{id}/licence', { params: { path: { id: o.organisationId } }, body: licence }),
      ),
    onSuccess: async () => {
      setRenewing(false);
      await queryClient.invalidateQueries({ queryKey: ['admin', 'organisations'] });
    },
  });
  return (
    <>
      <tr>
        <td>
          <bdi>{o.name}</bdi>
        </td>
        <td>{t(`admin.membership.${o.status}`)}</td>
        <td>
          {format.calendarDate(o.licenceValidUntil)} <LicenceBadge validUntil={o.licenceValidUntil} />
        </td>
        <td>{o.acceptedCodeVersion === null ? '—' : format.number(o.acceptedCodeVersion)}</td>
        <td>
          {!renewing && (
            <button
              type="button"
              className="button-secondary"
              aria-label={t('admin.licences.renewOf', { name: o.name })}
              onClick={() => setRenewing(true)}
            >
              {t('admin.licences.renew')}
            </button>
          )}
        </td>
      </tr>
      {renewing && (
        <tr>
          <td colSpan={5}>
            <LicenceForm
              label={t('admin.licences.renewOf', { name: o.name })}
              submit={t('admin.licences.renew')}
              error={renew.error}
              pending={renew.isPending}
              onSubmit={(licence) => renew.mutate(licence)}
              onCancel={() => setRenewing(false)}
            />
          </td>
        </tr>
      )}
    </>
  );
}
