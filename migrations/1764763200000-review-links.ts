import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Review links: only the SHA-256 of each token is kept, bound to one approver, post,
 * version and stage; single use; expiring. Stage openings now also notify (the
 * approvers of the stage, with their links).
 */
export class ReviewLinks1764763200000 implements MigrationInterface {
  name = 'ReviewLinks1764763200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_links (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL,
        workspace_id uuid NOT NULL,
        post_id uuid NOT NULL,
        version integer NOT NULL,
        stage_index integer NOT NULL,
        approver_user_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_review_links PRIMARY KEY (id),
        CONSTRAINT fk_review_links_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
        CONSTRAINT fk_review_links_approver_user_id FOREIGN KEY (approver_user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_review_links_token_hash ON review_links (token_hash)`);
    // Reminders and escalations: one per post version, stage, lead time and kind.
    await q.query(`
      CREATE TABLE review_reminders (
        post_id uuid NOT NULL,
        version integer NOT NULL,
        stage_index integer NOT NULL,
        lead_minutes integer NOT NULL,
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_review_reminders PRIMARY KEY (post_id, version, stage_index, lead_minutes, kind),
        CONSTRAINT fk_review_reminders_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
        CONSTRAINT ck_review_reminders_kind CHECK (kind IN ('remind', 'escalate'))
      )`);
    // Posts waiting for sign-off, by time: what the reminder job scans.
    await q.query(
      `CREATE INDEX ix_posts_in_review_scheduled_at ON posts (scheduled_at) WHERE status = 'in_review'`,
    );
    await q.query(this.trigger(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(this.trigger(false));
    await q.query(`DROP INDEX ix_posts_in_review_scheduled_at`);
    await q.query(`DROP TABLE review_reminders`);
    await q.query(`DROP TABLE review_links`);
  }

  private trigger(withStages: boolean): string {
    const stageActions = withStages ? `, 'post.submitted', 'post.signed_off', 'post.edited'` : '';
    return `
      CREATE OR REPLACE FUNCTION audit_events_to_mail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action IN ('post.changes_requested', 'post.approved', 'post.published', 'post.blocked', 'post.failed',
                          'post.expired', 'post.taken_down', 'workspace.paused', 'workspace.resumed', 'workspace.lockdown'${stageActions}) THEN
          INSERT INTO outbox (topic, payload)
          VALUES ('mail.notify', jsonb_build_object('workspaceId', NEW.workspace_id, 'seq', NEW.seq::text));
        END IF;
        RETURN NEW;
      END $$`;
  }
}
