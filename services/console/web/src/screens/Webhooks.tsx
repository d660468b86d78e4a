import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components as Registry } from '@estia/contracts/generated/openapi.registry.js';
import { registry, unwrap } from '../api/clients.js';
import { QueryState, Section } from '../components/display.js';
import { problemText } from '../components/form.js';
import { useFormat } from '../i18n/format.js';

type Subscription = Registry['schemas']['WebhookSubscription'];

/** What the console's built-in receiver got (demo only; the back end answers 404 when it is off). */
interface Received {
  webhookId: string;
  receivedAt: string;
  verified: boolean;
  error: string | null;
  eventType: string | null;
  subject: string | null;
}
const fetchReceived = async (): Promise<Received[] | null> => {
  const response = await fetch('/api/demo-receiver', { credentials: 'same-origin' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(String(response.status));
  return ((await response.json()) as { items: Received[] }).items;
};

/** The organisation's webhook subscriptions, each with its delivery log; and the demo's receiver. */
export function Webhooks() {
  const { t } = useTranslation();
  const subscriptions = useQuery({
    queryKey: ['webhooks'],
    queryFn: async () => (await unwrap(registry.GET('/v1/webhooks'))).data.items,
  });
  const received = useQuery({ queryKey: ['demo-receiver'], queryFn: fetchReceived, refetchInterval: 3_000 });
  return (
    <div>
      <h1>{t('webhooks.title')}</h1>
      <p className="lead">{t('webhooks.intro')}</p>
      <QueryState query={subscriptions}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">{t('webhooks.none')}</p>
          ) : (
            <>
              {items.map((s) => (
                <SubscriptionCard key={s.id} subscription={s} />
              ))}
            </>
          )
        }
      </QueryState>
      {received.data && <ReceiverCard items={received.data} />}
    </div>
  );
}

function SubscriptionCard(props: { subscription: Subscription }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const s = props.subscription;
  const [error, setError] = useState<unknown>(null);
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', s.id],
    queryFn: async () =>
      (
        await unwrap(
          registry.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: s.id }, query: { limit: 20 } } }),
        )
      ).data.items,
    refetchInterval: 5_000,
  });
  const toggle = useMutation({
    mutationFn: async () =>
      s.status === 'active'
        ? unwrap(registry.POST('/v1/webhooks/{id}/pause', { params: { path: { id: s.id } } }))
        : unwrap(registry.POST('/v1/webhooks/{id}/resume', { params: { path: { id: s.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
    onError: setError,
  });
  const redeliver = useMutation({
    mutationFn: async (deliveryId: string) =>
      unwrap(
        registry.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id: s.id, deliveryId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', s.id] }),
    onError: setError,
  });
  return (
    <Section
      title={s.description || s.url}
      id={`webhook-${s.id}`}
      actions={
        <button type="button" className="button-secondary" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {s.status === 'active' ? t('webhooks.pause') : t('webhooks.resume')}
        </button>
      }
    >
      <dl className="facts">
        <dt>{t('webhooks.url')}</dt>
        <dd>
          <code>{s.url}</code>
        </dd>
        <dt>{t('webhooks.status')}</dt>
        <dd>{t(`webhooks.statuses.${s.status}`)}</dd>
        <dt>{t('webhooks.events')}</dt>
        <dd>{s.events.includes('*') ? t('webhooks.allEvents') : s.events.join(', ')}</dd>
      </dl>
      {error !== null && (
        <div className="alert alert-error" role="alert">
          {problemText(error, t)}
        </div>
      )}
      <h3>{t('webhooks.log')}</h3>
      <QueryState query={deliveries}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">{t('webhooks.noDeliveries')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('webhooks.event')}</th>
                  <th scope="col">{t('webhooks.delivery')}</th>
                  <th scope="col">{t('webhooks.attempt')}</th>
                  <th scope="col">{t('webhooks.answer')}</th>
                  <th scope="col">{t('webhooks.latency')}</th>
                  <th scope="col">{t('webhooks.excerpt')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('webhooks.redeliver')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => {
                  const last = d.log.at(-1);
                  return (
                    <tr key={d.id}>
                      <td>
                        <code>{d.eventType.replace(/^estia\./, '')}</code>
                      </td>
                      <td>{t(`webhooks.deliveryStatus.${d.status}`)}</td>
                      <td>{format.number(d.attempts)}</td>
                      <td>{last ? (last.status ?? last.error ?? '—') : '—'}</td>
                      <td>{last ? format.number(last.latencyMs, { style: 'unit', unit: 'millisecond' }) : '—'}</td>
                      <td>
                        <code>{last?.responseExcerpt.slice(0, 80) ?? ''}</code>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button-secondary"
                          onClick={() => redeliver.mutate(d.id)}
                          disabled={redeliver.isPending}
                        >
                          {t('webhooks.redeliver')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </Section>
  );
}

function ReceiverCard(props: { items: Received[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Section title={t('webhooks.receiver.title')} id="demo-receiver">
      <p className="muted">{t('webhooks.receiver.intro')}</p>
      {props.items.length === 0 ? (
        <p className="muted">{t('webhooks.receiver.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('webhooks.receiver.at')}</th>
              <th scope="col">{t('webhooks.event')}</th>
              <th scope="col">webhook-id</th>
              <th scope="col">{t('webhooks.receiver.signature')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((r) => (
              <tr key={r.webhookId}>
                <td>{format.dateTime(r.receivedAt)}</td>
                <td>
                  <code>{r.eventType?.replace(/^estia\./, '') ?? '—'}</code>
                </td>
                <td>
                  <code>{r.webhookId}</code>
                </td>
                <td>
                  {r.verified ? t('webhooks.receiver.verified') : `${t('webhooks.receiver.refused')}: ${r.error ?? ''}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
