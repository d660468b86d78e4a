import type { NotificationKind, NotificationLanguage } from './notificationRules.js';

/**
 * The e-mails' words in the console's six languages. A message says what happened, gives the
 * reference and the console link, and nothing about the client.
 */
interface Catalogue {
  subjects: Record<NotificationKind, string>;
  lines: Record<NotificationKind, string>;
  reference: string;
  open: string;
  digestSubject: string;
  digestIntro: string;
  footer: string;
}

const en: Catalogue = {
  subjects: {
    'referral-received': 'New referral for your organisation',
    'referral-accepted': 'Your referral was accepted',
    'referral-rejected': 'Your referral was declined',
    'referral-completed': 'Your referral was completed',
    'referral-expired': 'Your referral expired unanswered',
    'access-request-answered': 'Your access request was answered',
    'access-request-received': 'An organisation asks for access to a case you hold',
    'deadline-approaching': "A client's deadline is approaching",
    'follow-up-due': 'A placement follow-up is due',
    'membership-decision': "A decision on your organisation's membership",
    'webhook-disabled': 'A webhook subscription was disabled',
  },
  lines: {
    'referral-received': 'A new referral is waiting in your organisation’s inbox. Please answer it before it expires.',
    'referral-accepted': 'A referral your organisation sent was accepted.',
    'referral-rejected': 'A referral your organisation sent was declined. The reason is in the console.',
    'referral-completed': 'A referral your organisation sent was completed; the outcome is in the console.',
    'referral-expired': 'A referral your organisation sent expired: nobody answered it in time.',
    'access-request-answered': 'An access request of your organisation was answered.',
    'access-request-received':
      'Another organisation asked for access to a case your organisation holds. Please approve or decline it in the console before it lapses.',
    'deadline-approaching':
      'A residence permit, work permit or reception deadline of a client your organisation holds is approaching. The details are in the console.',
    'follow-up-due': "A placement's follow-up is due. Please record whether the person is still employed.",
    'membership-decision': "The network decided on your organisation's membership.",
    'webhook-disabled':
      'Deliveries to a webhook subscription failed for 5 days, so it was disabled. Resume it once the receiver works.',
  },
  reference: 'Reference',
  open: 'Open in the console',
  digestSubject: 'Your daily ESTIA summary',
  digestIntro: 'What happened since the last summary:',
  footer: 'You receive this because of your notification settings in the ESTIA console.',
};

const el: Catalogue = {
  subjects: {
    'referral-received': 'Νέα παραπομπή για τον οργανισμό σας',
    'referral-accepted': 'Η παραπομπή σας έγινε δεκτή',
    'referral-rejected': 'Η παραπομπή σας απορρίφθηκε',
    'referral-completed': 'Η παραπομπή σας ολοκληρώθηκε',
    'referral-expired': 'Η παραπομπή σας έληξε χωρίς απάντηση',
    'access-request-answered': 'Απαντήθηκε το αίτημα πρόσβασής σας',
    'access-request-received': 'Ένας οργανισμός ζητά πρόσβαση σε υπόθεση που τηρείτε',
    'deadline-approaching': 'Πλησιάζει προθεσμία ενός πελάτη',
    'follow-up-due': 'Οφείλεται παρακολούθηση τοποθέτησης',
    'membership-decision': 'Απόφαση για τη συμμετοχή του οργανισμού σας',
    'webhook-disabled': 'Μια συνδρομή webhook απενεργοποιήθηκε',
  },
  lines: {
    'referral-received': 'Μια νέα παραπομπή περιμένει στα εισερχόμενα του οργανισμού σας. Απαντήστε πριν λήξει.',
    'referral-accepted': 'Μια παραπομπή που έστειλε ο οργανισμός σας έγινε δεκτή.',
    'referral-rejected': 'Μια παραπομπή που έστειλε ο οργανισμός σας απορρίφθηκε. Ο λόγος φαίνεται στην κονσόλα.',
    'referral-completed': 'Μια παραπομπή που έστειλε ο οργανισμός σας ολοκληρώθηκε· το αποτέλεσμα είναι στην κονσόλα.',
    'referral-expired': 'Μια παραπομπή που έστειλε ο οργανισμός σας έληξε: κανείς δεν απάντησε εγκαίρως.',
    'access-request-answered': 'Ένα αίτημα πρόσβασης του οργανισμού σας απαντήθηκε.',
    'access-request-received':
      'Ένας άλλος οργανισμός ζήτησε πρόσβαση σε υπόθεση που τηρεί ο οργανισμός σας. Εγκρίνετε ή απορρίψτε το αίτημα στην κονσόλα πριν λήξει.',
    'deadline-approaching':
      'Πλησιάζει η λήξη άδειας διαμονής, άδειας εργασίας ή προθεσμίας αποχώρησης από δομή υποδοχής ενός πελάτη του οργανισμού σας. Οι λεπτομέρειες είναι στην κονσόλα.',
    'follow-up-due': 'Οφείλεται η παρακολούθηση μιας τοποθέτησης. Καταγράψτε αν το άτομο εργάζεται ακόμη.',
    'membership-decision': 'Το δίκτυο αποφάσισε για τη συμμετοχή του οργανισμού σας.',
    'webhook-disabled':
      'Οι αποστολές σε μια συνδρομή webhook αποτύγχαναν για 5 ημέρες και απενεργοποιήθηκε. Ενεργοποιήστε την ξανά όταν ο παραλήπτης λειτουργεί.',
  },
  reference: 'Αναφορά',
  open: 'Άνοιγμα στην κονσόλα',
  digestSubject: 'Η ημερήσια σύνοψή σας στο ESTIA',
  digestIntro: 'Τι συνέβη από την τελευταία σύνοψη:',
  footer: 'Λαμβάνετε αυτό το μήνυμα λόγω των ρυθμίσεων ειδοποιήσεων στην κονσόλα ESTIA.',
};

const ar: Catalogue = {
  subjects: {
    'referral-received': 'إحالة جديدة لمنظمتك',
    'referral-accepted': 'تم قبول إحالتك',
    'referral-rejected': 'تم رفض إحالتك',
    'referral-completed': 'اكتملت إحالتك',
    'referral-expired': 'انتهت صلاحية إحالتك دون رد',
    'access-request-answered': 'تم الرد على طلب الوصول الخاص بك',
    'access-request-received': 'منظمة تطلب الوصول إلى حالة لديكم',
    'deadline-approaching': 'يقترب موعد نهائي لأحد العملاء',
    'follow-up-due': 'حان موعد متابعة توظيف',
    'membership-decision': 'قرار بشأن عضوية منظمتك',
    'webhook-disabled': 'تم تعطيل اشتراك webhook',
  },
  lines: {
    'referral-received': 'إحالة جديدة بانتظارك في صندوق وارد منظمتك. يرجى الرد عليها قبل انتهاء صلاحيتها.',
    'referral-accepted': 'تم قبول إحالة أرسلتها منظمتك.',
    'referral-rejected': 'تم رفض إحالة أرسلتها منظمتك. السبب موجود في وحدة التحكم.',
    'referral-completed': 'اكتملت إحالة أرسلتها منظمتك؛ النتيجة موجودة في وحدة التحكم.',
    'referral-expired': 'انتهت صلاحية إحالة أرسلتها منظمتك: لم يرد عليها أحد في الوقت المحدد.',
    'access-request-answered': 'تم الرد على طلب وصول قدمته منظمتك.',
    'access-request-received':
      'طلبت منظمة أخرى الوصول إلى حالة تحتفظ بها منظمتك. يرجى الموافقة على الطلب أو رفضه في وحدة التحكم قبل انتهاء صلاحيته.',
    'deadline-approaching':
      'يقترب موعد انتهاء تصريح إقامة أو تصريح عمل أو موعد مغادرة مركز استقبال لعميل لدى منظمتك. التفاصيل موجودة في وحدة التحكم.',
    'follow-up-due': 'حان موعد متابعة أحد التوظيفات. يرجى تسجيل ما إذا كان الشخص لا يزال يعمل.',
    'membership-decision': 'اتخذت الشبكة قرارًا بشأن عضوية منظمتك.',
    'webhook-disabled':
      'فشلت عمليات التسليم إلى اشتراك webhook لمدة 5 أيام، لذا تم تعطيله. أعد تفعيله عندما يعمل المستقبِل.',
  },
  reference: 'المرجع',
  open: 'فتح في وحدة التحكم',
  digestSubject: 'ملخصك اليومي من ESTIA',
  digestIntro: 'ما حدث منذ الملخص الأخير:',
  footer: 'تتلقى هذه الرسالة بسبب إعدادات الإشعارات في وحدة تحكم ESTIA.',
};

const fa: Catalogue = {
  subjects: {
    'referral-received': 'ارجاع جدید برای سازمان شما',
    'referral-accepted': 'ارجاع شما پذیرفته شد',
    'referral-rejected': 'ارجاع شما رد شد',
    'referral-completed': 'ارجاع شما تکمیل شد',
    'referral-expired': 'ارجاع شما بدون پاسخ منقضی شد',
    'access-request-answered': 'به درخواست دسترسی شما پاسخ داده شد',
    'access-request-received': 'سازمانی برای پرونده‌ای نزد شما درخواست دسترسی دارد',
    'deadline-approaching': 'مهلت یکی از مراجعان نزدیک است',
    'follow-up-due': 'زمان پیگیری یک اشتغال رسیده است',
    'membership-decision': 'تصمیمی درباره عضویت سازمان شما',
    'webhook-disabled': 'یک اشتراک webhook غیرفعال شد',
  },
  lines: {
    'referral-received': 'یک ارجاع جدید در صندوق ورودی سازمان شما منتظر است. لطفاً پیش از انقضا به آن پاسخ دهید.',
    'referral-accepted': 'ارجاعی که سازمان شما فرستاده بود پذیرفته شد.',
    'referral-rejected': 'ارجاعی که سازمان شما فرستاده بود رد شد. دلیل آن در کنسول است.',
    'referral-completed': 'ارجاعی که سازمان شما فرستاده بود تکمیل شد؛ نتیجه در کنسول است.',
    'referral-expired': 'ارجاعی که سازمان شما فرستاده بود منقضی شد: کسی به‌موقع پاسخ نداد.',
    'access-request-answered': 'به یک درخواست دسترسی سازمان شما پاسخ داده شد.',
    'access-request-received':
      'سازمان دیگری برای دسترسی به پرونده‌ای که نزد سازمان شماست درخواست داده است. لطفاً پیش از انقضا آن را در کنسول تأیید یا رد کنید.',
    'deadline-approaching':
      'مهلت اجازه اقامت، اجازه کار یا خروج از مرکز پذیرش یکی از مراجعان سازمان شما نزدیک است. جزئیات در کنسول است.',
    'follow-up-due': 'زمان پیگیری یک اشتغال رسیده است. لطفاً ثبت کنید که آیا فرد هنوز شاغل است.',
    'membership-decision': 'شبکه درباره عضویت سازمان شما تصمیم گرفت.',
    'webhook-disabled':
      'ارسال‌ها به یک اشتراک webhook به مدت ۵ روز ناموفق بود و غیرفعال شد. وقتی گیرنده کار کرد دوباره فعالش کنید.',
  },
  reference: 'شماره مرجع',
  open: 'باز کردن در کنسول',
  digestSubject: 'خلاصه روزانه شما در ESTIA',
  digestIntro: 'آنچه از خلاصه قبلی تاکنون رخ داده است:',
  footer: 'این پیام را به دلیل تنظیمات اعلان‌های خود در کنسول ESTIA دریافت می‌کنید.',
};

const fr: Catalogue = {
  subjects: {
    'referral-received': 'Nouvelle orientation pour votre organisation',
    'referral-accepted': 'Votre orientation a été acceptée',
    'referral-rejected': 'Votre orientation a été refusée',
    'referral-completed': 'Votre orientation est terminée',
    'referral-expired': 'Votre orientation a expiré sans réponse',
    'access-request-answered': "Votre demande d'accès a reçu une réponse",
    'access-request-received': "Une organisation demande l'accès à un dossier que vous détenez",
    'deadline-approaching': "L'échéance d'un client approche",
    'follow-up-due': 'Un suivi de placement est à faire',
    'membership-decision': "Une décision sur l'adhésion de votre organisation",
    'webhook-disabled': 'Un abonnement webhook a été désactivé',
  },
  lines: {
    'referral-received':
      "Une nouvelle orientation attend dans la boîte de réception de votre organisation. Répondez-y avant qu'elle n'expire.",
    'referral-accepted': 'Une orientation envoyée par votre organisation a été acceptée.',
    'referral-rejected': 'Une orientation envoyée par votre organisation a été refusée. Le motif est dans la console.',
    'referral-completed':
      'Une orientation envoyée par votre organisation est terminée ; le résultat est dans la console.',
    'referral-expired': "Une orientation envoyée par votre organisation a expiré : personne n'a répondu à temps.",
    'access-request-answered': "Une demande d'accès de votre organisation a reçu une réponse.",
    'access-request-received':
      "Une autre organisation a demandé l'accès à un dossier détenu par votre organisation. Acceptez-la ou refusez-la dans la console avant qu'elle n'expire.",
    'deadline-approaching':
      "Un titre de séjour, une autorisation de travail ou une date de sortie d'hébergement d'un client de votre organisation approche de son échéance. Les détails sont dans la console.",
    'follow-up-due': "Le suivi d'un placement est à faire. Indiquez si la personne est toujours en poste.",
    'membership-decision': "Le réseau a statué sur l'adhésion de votre organisation.",
    'webhook-disabled':
      'Les envois vers un abonnement webhook ont échoué pendant 5 jours ; il a été désactivé. Réactivez-le quand le récepteur fonctionne.',
  },
  reference: 'Référence',
  open: 'Ouvrir dans la console',
  digestSubject: 'Votre résumé quotidien ESTIA',
  digestIntro: 'Ce qui s’est passé depuis le dernier résumé :',
  footer: 'Vous recevez ce message en raison de vos réglages de notifications dans la console ESTIA.',
};

const uk: Catalogue = {
  subjects: {
    'referral-received': 'Нове направлення для вашої організації',
    'referral-accepted': 'Ваше направлення прийнято',
    'referral-rejected': 'Ваше направлення відхилено',
    'referral-completed': 'Ваше направлення завершено',
    'referral-expired': 'Термін вашого направлення минув без відповіді',
    'access-request-answered': 'На ваш запит на доступ відповіли',
    'access-request-received': 'Організація просить доступ до справи, яку ви ведете',
    'deadline-approaching': 'Наближається строк клієнта',
    'follow-up-due': 'Час для контролю працевлаштування',
    'membership-decision': 'Рішення щодо членства вашої організації',
    'webhook-disabled': 'Підписку webhook вимкнено',
  },
  lines: {
    'referral-received': 'Нове направлення чекає у вхідних вашої організації. Дайте відповідь, доки не минув термін.',
    'referral-accepted': 'Направлення, надіслане вашою організацією, прийнято.',
    'referral-rejected': 'Направлення, надіслане вашою організацією, відхилено. Причина — у консолі.',
    'referral-completed': 'Направлення, надіслане вашою організацією, завершено; результат — у консолі.',
    'referral-expired': 'Термін направлення, надісланого вашою організацією, минув: ніхто не відповів вчасно.',
    'access-request-answered': 'На запит на доступ вашої організації відповіли.',
    'access-request-received':
      'Інша організація попросила доступ до справи, яку веде ваша організація. Схваліть або відхиліть запит у консолі, доки не минув його строк.',
    'deadline-approaching':
      'Наближається строк дозволу на проживання, дозволу на роботу або виїзду з центру прийому клієнта вашої організації. Подробиці — у консолі.',
    'follow-up-due': 'Настав час контролю працевлаштування. Зазначте, чи людина досі працює.',
    'membership-decision': 'Мережа ухвалила рішення щодо членства вашої організації.',
    'webhook-disabled':
      'Доставки до підписки webhook не вдавалися 5 днів, тому її вимкнено. Увімкніть її знову, коли одержувач запрацює.',
  },
  reference: 'Номер',
  open: 'Відкрити в консолі',
  digestSubject: 'Ваш щоденний підсумок ESTIA',
  digestIntro: 'Що сталося з часу останнього підсумку:',
  footer: 'Ви отримали цей лист через налаштування сповіщень у консолі ESTIA.',
};

export const MESSAGES: Record<NotificationLanguage, Catalogue> = { en, el, ar, fa, fr, uk };

export interface MailItem {
  kind: NotificationKind;
  reference: string;
  link: string;
}

/** One message: a single notice, or a digest of several. Plain text; right-to-left languages as they are. */
export function renderMail(
  language: NotificationLanguage,
  items: readonly MailItem[],
  digest: boolean,
): { subject: string; text: string } {
  const m = MESSAGES[language];
  const block = (item: MailItem) => `${m.lines[item.kind]}\n${m.reference}: ${item.reference}\n${m.open}: ${item.link}`;
  if (!digest && items.length === 1) {
    const [item] = items as [MailItem];
    return { subject: `ESTIA: ${m.subjects[item.kind]}`, text: `${block(item)}\n\n--\n${m.footer}\n` };
  }
  const body = items.map((item) => `* ${m.subjects[item.kind]}\n${block(item)}`).join('\n\n');
  return { subject: `ESTIA: ${m.digestSubject}`, text: `${m.digestIntro}\n\n${body}\n\n--\n${m.footer}\n` };
}
