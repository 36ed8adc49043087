import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { RenderedMail } from './notification-templates';

/** Sends one message to one address; `id` makes its Message-ID, on the PUBLIC_URL host. */
export interface Mailer {
  send(to: string, mail: RenderedMail, id: string): Promise<void>;
}

/** What every message carries: it is automatic (no out-of-office replies to it), from our host. */
function envelope(config: AppConfig, to: string, mail: RenderedMail, id: string) {
  return {
    from: config.mailFrom,
    to,
    messageId: `<countersign.${id}@${new URL(config.publicUrl).hostname}>`,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    ...mail,
  };
}

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise each message is written
 * as an .eml file under MAIL_DIR (the development default), and logged with its
 * review link, if it has one.
 */
export function createMailer(config: AppConfig): Mailer {
  const logger = new Logger('Mail');
  if (config.smtpUrl) {
    const transport: Transporter = createTransport(config.smtpUrl);
    return {
      async send(to, mail, id) {
        await transport.sendMail(envelope(config, to, mail, id));
      },
    };
  }
  const files = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(to, mail, id) {
      const info = (await files.sendMail(envelope(config, to, mail, id))) as { message: Buffer };
      const name = join(config.mailDir, id.replace(/[^A-Za-z0-9.-]/g, '_'));
      const file = `${name}.eml`;
      // The folder is made when it is missing, not checked before every message.
      await writeFile(file, info.message).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(config.mailDir, { recursive: true });
        await writeFile(file, info.message);
      });
      // The text as read, beside it: the .eml's quoted-printable breaks long links.
      await writeFile(`${name}.txt`, `To: ${to}\nSubject: ${mail.subject}\n\n${mail.text}`);
      // Development convenience: the review link, to click without a mail server.
      const link = /\S+\/review\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
      logger.log(`mail to ${to} written to ${file}: ${mail.subject}${link ? ` (review link: ${link})` : ''}`);
    },
  };
}
