import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server in the test process that keeps every message it receives, parsed. */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  /** `ignoring`: subjects of mail a suite is not about (kept out of `to`), such as "You were added to …". */
  constructor(private readonly ignoring?: RegExp) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter(
      (m) =>
        JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()) &&
        !(this.ignoring && this.ignoring.test(m.subject ?? '')),
    );
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The mail every member added with an account gets: noise to suites about other mail. */
export const MEMBER_ADDED_MAIL = /^You were added to /;
