import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP's recommended minimum: 19 MiB, t=2). */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  // Verified against when the e-mail is unknown, so both failures cost the same time.
  private decoy = '';

  async onModuleInit(): Promise<void> {
    this.decoy = await hash('countersign-timing-decoy');
  }

  hash(password: string): Promise<string> {
    return hash(password);
  }

  /** Verifies `password` against `passwordHash`, or against a decoy when there is none. */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    const ok = await verify(passwordHash ?? this.decoy, password).catch(() => false);
    return ok && passwordHash !== null;
  }
}
