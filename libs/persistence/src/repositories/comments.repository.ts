import type { CommentVisibility } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A comment on a post as stored; a deleted one keeps its place with no body. */
export interface PostComment {
  id: string;
  workspaceId: string;
  postId: string;
  parentId: string | null;
  authorUserId: string | null;
  authorApiKeyId: string | null;
  visibility: CommentVisibility;
  body: string | null;
  mentions: string[];
  postVersion: number;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

const COLUMNS = `id, workspace_id AS "workspaceId", post_id AS "postId", parent_id AS "parentId",
  author_user_id AS "authorUserId", author_api_key_id AS "authorApiKeyId", visibility, body, mentions,
  post_version AS "postVersion", created_at AS "createdAt", edited_at AS "editedAt", deleted_at AS "deletedAt"`;

/** Comments on posts, in the order they were written. */
@Injectable()
export class CommentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    comment: Pick<
      PostComment,
      | 'workspaceId'
      | 'postId'
      | 'parentId'
      | 'authorUserId'
      | 'authorApiKeyId'
      | 'visibility'
      | 'body'
      | 'mentions'
      | 'postVersion'
    >,
    em: EntityManager,
  ): Promise<PostComment> {
    const [row] = await em.query<PostComment[]>(
      `INSERT INTO post_comments (workspace_id, post_id, parent_id, author_user_id, author_api_key_id, visibility,
                                  body, mentions, post_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        comment.workspaceId,
        comment.postId,
        comment.parentId,
        comment.authorUserId,
        comment.authorApiKeyId,
        comment.visibility,
        comment.body,
        comment.mentions,
        comment.postVersion,
      ],
    );
    return row;
  }

  /** A post's comments, oldest first; `team` ones only when `withTeam`. */
  list(postId: string, withTeam: boolean, em: EntityManager = this.db.manager): Promise<PostComment[]> {
    return em.query<PostComment[]>(
      `SELECT ${COLUMNS} FROM post_comments
        WHERE post_id = $1 AND ($2 OR visibility = 'everyone') ORDER BY created_at, id`,
      [postId, withTeam],
    );
  }

  /** One comment of the post, locked for the rest of the transaction. */
  async lock(postId: string, id: string, em: EntityManager): Promise<PostComment | null> {
    const [row] = await em.query<PostComment[]>(
      `SELECT ${COLUMNS} FROM post_comments WHERE post_id = $1 AND id = $2 FOR UPDATE`,
      [postId, id],
    );
    return row ?? null;
  }

  async find(workspaceId: string, id: string): Promise<PostComment | null> {
    const [row] = await this.db.query<PostComment[]>(
      `SELECT ${COLUMNS} FROM post_comments WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row ?? null;
  }

  async edit(id: string, body: string, mentions: string[], em: EntityManager): Promise<PostComment> {
    const [[row]] = await em.query<[PostComment[], number]>(
      `UPDATE post_comments SET body = $2, mentions = $3, edited_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, body, mentions],
    );
    return row;
  }

  /** Leaves a tombstone: the place and the author stay, the words go. */
  async tombstone(id: string, em: EntityManager): Promise<PostComment> {
    const [[row]] = await em.query<[PostComment[], number]>(
      `UPDATE post_comments SET body = NULL, mentions = '{}', deleted_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return row;
  }
}
