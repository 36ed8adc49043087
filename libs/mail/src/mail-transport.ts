import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { RenderedMail } from './notification-templates';

/** Sends one message to one address. */
export interface Mailer {
  send(to: string, mail: RenderedMail, messageId: string): Promise<void>;
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
      async send(to, mail, messageId) {
        await transport.sendMail({ from: config.mailFrom, to, messageId, ...mail });
      },
    };
  }
  const files = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(to, mail, messageId) {
      const info = (await files.sendMail({ from: config.mailFrom, to, messageId, ...mail })) as {
        message: Buffer;
      };
      const file = join(config.mailDir, `${messageId.replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`);
      // The folder is made when it is missing, not checked before every message.
      await writeFile(file, info.message).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(config.mailDir, { recursive: true });
        await writeFile(file, info.message);
      });
      // Development convenience: the review link, to click without a mail server.
      const link = /\S+\/review\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
      logger.log(`mail to ${to} written to ${file}: ${mail.subject}${link ? ` (review link: ${link})` : ''}`);
    },
  };
}
