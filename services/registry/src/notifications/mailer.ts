import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { writePrivateFile } from '@estia/infra/sql/privateFiles.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  language: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'files';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * nodemailer through SMTP when SMTP_URL is set; otherwise (the embedded default) each message is
 * written as an .eml file under DATA_DIR/mail, readable by its owner only.
 */
export function createMailer(options: { smtpUrl?: string | undefined; mailDir: string; from: string }): Mailer {
  const smtp = options.smtpUrl !== undefined && options.smtpUrl !== '';
  const transport: Transporter = smtp
    ? createTransport(options.smtpUrl)
    : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let written = 0;
  return {
    kind: smtp ? 'smtp' : 'files',
    async send(mail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'Content-Language': mail.language },
      });
      if (!smtp) {
        const message = (info as unknown as { message: Buffer }).message;
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++written}.eml`;
        writePrivateFile(join(options.mailDir, name), message.toString('utf8'));
      }
    },
    close: () => transport.close(),
  };
}
