import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Keys whose values are personal data (or credentials) wherever they appear in a log object, up to
 * four levels deep. Bodies are never logged by the kit; this is the net under a stray
 * `log.info({ client }, ...)`.
 */
export const PERSONAL_KEYS = [
  'name',
  'names',
  'givenName',
  'familyName',
  'firstName',
  'lastName',
  'fullName',
  'displayName',
  'preferredName',
  'dateOfBirth',
  'birthDate',
  'dob',
  'placeOfBirth',
  'nationality',
  'gender',
  'contact',
  'contacts',
  'email',
  'phone',
  'mobile',
  'address',
  'addresses',
  'postalCode',
  'notes',
  'note',
  'narrative',
  'description',
  'personalData',
  'identityDocument',
  'documentNumber',
  'passportNumber',
  'healthInformation',
  'password',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
] as const;

const depthPrefixes = ['', '*.', '*.*.', '*.*.*.'];

export const REDACT_PATHS: string[] = [
  ...depthPrefixes.flatMap((prefix) => PERSONAL_KEYS.map((key) => `${prefix}${key}`)),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'body',
  '*.body',
  'payload',
  '*.payload',
];

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** Where lines go (tests capture them here). Default stdout. */
  destination?: DestinationStream;
  /** Extra redaction paths (pino syntax). */
  redact?: string[];
}

/** Request line: method, path (query string dropped: searches carry names) and ids only. */
const requestSerializer = (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
  method: req.method,
  path: req.url?.split('?')[0],
  id: req.id,
});

const responseSerializer = (res: { statusCode?: number }) => ({ statusCode: res.statusCode });

export const createLogger = (options: CreateLoggerOptions): Logger => {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    messageKey: 'msg',
    redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
    serializers: { req: requestSerializer, res: responseSerializer, err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
};
