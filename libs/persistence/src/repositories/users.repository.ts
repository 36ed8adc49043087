import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '@app/domain';
import { MembershipEntity, UserEntity, WorkspaceEntity } from '../entities';

/** A user, the session a token names, and when asked about one workspace, their role there and its time zone. */
export interface UserAccess {
  user: UserEntity;
  /** null: no such session of theirs */
  session: { endedAt: Date | null; createdAt: Date; lastUsedAt: Date; secondFactorAt: Date | null } | null;
  membership: {
    role: Role;
    timezone: string;
    sessionsRevokedAt: Date | null;
    sessionsRevokedExcept: string | null;
    requireMfaFor: Role[];
  } | null;
}

/** A person as views name them. */
export interface Person {
  id: string;
  name: string;
  email: string;
}

/** Users by id or (lower-case) e-mail. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The people of `ids` (unknown ids left out), by id. */
  async people(ids: readonly string[], em: EntityManager = this.db.manager): Promise<Map<string, Person>> {
    if (ids.length === 0) return new Map();
    const rows = await em.query<Person[]>(`SELECT id, name, email FROM users WHERE id = ANY($1::uuid[])`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((p) => [p.id, p]));
  }

  findById(id: string, em: EntityManager = this.db.manager): Promise<UserEntity | null> {
    return em.findOneBy(UserEntity, { id });
  }

  /** One round trip for every authenticated request: the user, their session, and their membership of `workspaceId`. */
  async findWithMembership(
    userId: string,
    sessionId: string,
    workspaceId: string | undefined,
  ): Promise<UserAccess | null> {
    const { entities, raw } = await this.db.manager
      .createQueryBuilder(UserEntity, 'u')
      .leftJoin(MembershipEntity, 'm', 'm.user_id = u.id AND m.workspace_id = :workspaceId', {
        workspaceId: workspaceId ?? null,
      })
      .leftJoin(WorkspaceEntity, 'w', 'w.id = m.workspace_id')
      .leftJoin('sessions', 's', 's.id = :sessionId AND s.user_id = u.id', { sessionId })
      .addSelect([
        's.id AS session_id',
        's.created_at AS session_created_at',
        's.last_used_at AS session_last_used_at',
        's.ended_at AS session_ended_at',
        's.second_factor_at AS session_second_factor_at',
        'm.role AS member_role',
        'w.timezone AS workspace_timezone',
        'w.sessions_revoked_at AS sessions_revoked_at',
        'w.sessions_revoked_except AS sessions_revoked_except',
        'w.require_mfa_for AS require_mfa_for',
      ])
      .where('u.id = :userId', { userId })
      .getRawAndEntities<{
        member_role: Role | null;
        workspace_timezone: string | null;
        sessions_revoked_at: Date | null;
        sessions_revoked_except: string | null;
        require_mfa_for: Role[] | null;
        session_id: string | null;
        session_created_at: Date | null;
        session_last_used_at: Date | null;
        session_ended_at: Date | null;
        session_second_factor_at: Date | null;
      }>();
    const user = entities[0];
    if (!user) return null;
    const row = raw[0];
    return {
      user,
      session: row?.session_id
        ? {
            createdAt: row.session_created_at!,
            lastUsedAt: row.session_last_used_at!,
            endedAt: row.session_ended_at,
            secondFactorAt: row.session_second_factor_at,
          }
        : null,
      membership: row?.member_role
        ? {
            role: row.member_role,
            timezone: row.workspace_timezone ?? 'UTC',
            sessionsRevokedAt: row.sessions_revoked_at,
            sessionsRevokedExcept: row.sessions_revoked_except,
            requireMfaFor: row.require_mfa_for ?? [],
          }
        : null,
    };
  }

  /** Sets the fields given (undefined ones stay) and answers the user as stored. */
  async update(
    id: string,
    changes: Partial<Pick<UserEntity, 'name' | 'mailDigest'>>,
    em: EntityManager = this.db.manager,
  ): Promise<UserEntity> {
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) await em.update(UserEntity, { id }, set);
    return em.findOneByOrFail(UserEntity, { id });
  }

  async setPassword(id: string, passwordHash: string | null, em: EntityManager): Promise<void> {
    await em.update(UserEntity, { id }, { passwordHash });
  }

  /**
   * Records that the person proved they read their address's mail (the row stays
   * locked to the end of the transaction). True when the address was unproved and
   * had a password: one set by whoever signed up with it, who may not be its owner.
   */
  async proveMailbox(id: string, em: EntityManager): Promise<boolean> {
    const [row] = await em.query<Array<{ unproved: boolean; has_password: boolean }>>(
      `SELECT email_verified_at IS NULL AS unproved, password_hash IS NOT NULL AS has_password
         FROM users WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!row?.unproved) return false;
    await em.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [id]);
    return row.has_password;
  }

  findByEmail(email: string, em: EntityManager = this.db.manager): Promise<UserEntity | null> {
    return em.findOneBy(UserEntity, { email: email.toLowerCase() });
  }

  /** Inserts, or returns the existing user of that e-mail untouched. */
  async findOrCreate(email: string, name: string, em: EntityManager): Promise<UserEntity> {
    const normalized = email.toLowerCase();
    await em
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({ email: normalized, name, passwordHash: null })
      .orIgnore()
      .execute();
    return em.findOneByOrFail(UserEntity, { email: normalized });
  }

  create(user: Pick<UserEntity, 'email' | 'name' | 'passwordHash'>, em: EntityManager): Promise<UserEntity> {
    return em.save(UserEntity, em.create(UserEntity, { ...user, email: user.email.toLowerCase() }));
  }
}
