import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { UserEntity } from '../entities';

/** Users by id or (lower-case) e-mail. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(id: string, em: EntityManager = this.db.manager): Promise<UserEntity | null> {
    return em.findOneBy(UserEntity, { id });
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
