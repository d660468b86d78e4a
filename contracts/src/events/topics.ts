import type { EventType } from '../generated/eventCatalogue.js';

export type PublishingService = 'registry' | 'referrals' | 'matching';

/** The service that publishes an event type: its second segment (`estia.<service>.…`). */
export const eventServiceOf = (type: EventType): PublishingService => type.split('.')[1] as PublishingService;

/** Topic of an event type: one per publishing service (`estia.registry`, ...); the key is the envelope subject. */
export const eventTopic = (type: EventType): string => `estia.${eventServiceOf(type)}`;

/** CloudEvents `source` of an event type, e.g. `/estia/registry`. */
export const eventSource = (type: EventType): string => `/estia/${eventServiceOf(type)}`;
