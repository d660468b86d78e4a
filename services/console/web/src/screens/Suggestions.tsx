import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { referrals, unwrap } from '../api/clients.js';
import { clientQuery, needsOf } from '../api/queries.js';
import { QueryState } from '../components/display.js';
import { useFormat } from '../i18n/format.js';

/** Services for an open need: eligible, open for intake, in the client's languages and area, nearest first. */
export function Suggestions() {
  const { t } = useTranslation();
  const format = useFormat();
  const { clientId, needId } = useParams({ strict: false }) as { clientId: string; needId: string };
  const client = useQuery(clientQuery(clientId));
  const need = client.data ? needsOf(client.data).find((n) => n.needId === needId) : undefined;
  const suggestions = useQuery({
    queryKey: ['suggestions', clientId, needId],
    queryFn: async () =>
      (
        await unwrap(
          referrals.GET('/v1/clients/{clientId}/needs/{needId}/suggestions', {
            params: { path: { clientId, needId } },
          }),
        )
      ).data,
  });
  return (
    <div>
      <p>
        <Link to="/clients/$clientId" params={{ clientId }}>
          <span className="back">{t('suggestions.back')}</span>
        </Link>
      </p>
      <h1>{t('suggestions.title', { category: need ? t(`vocab.category.${need.category}`) : '…' })}</h1>
      <p className="lead">{t('suggestions.intro')}</p>
      <QueryState query={suggestions}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">{t('suggestions.none')}</p>
          ) : (
            <ul className="result-list">
              {data.items.map((s) => (
                <li className="card result" key={s.serviceId}>
                  <h2 className="h3">{s.name}</h2>
                  <p className="muted">{s.organisationName}</p>
                  <dl className="facts">
                    {s.categoryCode && (
                      <>
                        <dt>{t('directory.category')}</dt>
                        <dd>{t(`vocab.taxonomy.${s.categoryCode}`, { defaultValue: s.categoryCode })}</dd>
                      </>
                    )}
                    <dt>{t('suggestions.places')}</dt>
                    <dd>{s.available === null || s.available === undefined ? '—' : format.number(s.available)}</dd>
                    <dt>{t('suggestions.distance')}</dt>
                    <dd>
                      {s.distanceKm === null
                        ? '—'
                        : format.number(s.distanceKm, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 })}
                      {s.nearestLocality ? ` · ${s.nearestLocality}` : ''}
                    </dd>
                    <dt>{t('suggestions.answers')}</dt>
                    <dd>
                      {s.responseTimeHours === undefined
                        ? '—'
                        : format.number(s.responseTimeHours, { style: 'unit', unit: 'hour', unitDisplay: 'long' })}
                    </dd>
                    {s.languages && (
                      <>
                        <dt>{t('directory.languages')}</dt>
                        <dd>{s.languages.map(format.languageName).join(', ')}</dd>
                      </>
                    )}
                  </dl>
                  <Link
                    className="button-link"
                    to="/clients/$clientId/refer"
                    params={{ clientId }}
                    search={{ serviceId: s.serviceId, needId }}
                    aria-label={t('suggestions.referTo', { name: s.name })}
                  >
                    {t('suggestions.refer')}
                  </Link>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </div>
  );
}
