import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workflows (versioned), sign-offs, and the append-only audit log. The audit log's
 * hash chain and its immutability are the database's job, not the app's: a trigger
 * numbers and chains each event per workspace under an advisory lock, and another
 * refuses UPDATE, DELETE and TRUNCATE for every role the app connects as.
 */
export class Approvals1764244800000 implements MigrationInterface {
  name = 'Approvals1764244800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflows (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        name text NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        current_version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_workflows PRIMARY KEY (id),
        CONSTRAINT fk_workflows_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_workflows_workspace_id ON workflows (workspace_id, created_at, id)`);
    // At most one default workflow per workspace.
    await q.query(`CREATE UNIQUE INDEX uq_workflows_default ON workflows (workspace_id) WHERE is_default`);

    await q.query(`
      CREATE TABLE workflow_versions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workflow_id uuid NOT NULL,
        version integer NOT NULL,
        stages jsonb NOT NULL,
        options jsonb NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_workflow_versions PRIMARY KEY (id),
        CONSTRAINT fk_workflow_versions_workflow_id FOREIGN KEY (workflow_id) REFERENCES workflows (id) ON DELETE CASCADE,
        CONSTRAINT uq_workflow_versions_workflow_id_version UNIQUE (workflow_id, version)
      )`);

    // A channel follows at most one workflow of its own.
    await q.query(`
      CREATE TABLE workflow_channels (
        channel_id uuid NOT NULL,
        workflow_id uuid NOT NULL,
        CONSTRAINT pk_workflow_channels PRIMARY KEY (channel_id),
        CONSTRAINT fk_workflow_channels_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE,
        CONSTRAINT fk_workflow_channels_workflow_id FOREIGN KEY (workflow_id) REFERENCES workflows (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_workflow_channels_workflow_id ON workflow_channels (workflow_id)`);

    await q.query(`
      ALTER TABLE posts
        ADD COLUMN workflow_id uuid,
        ADD COLUMN workflow_version_id uuid,
        ADD COLUMN submitted_at timestamptz,
        ADD CONSTRAINT fk_posts_workflow_id FOREIGN KEY (workflow_id) REFERENCES workflows (id),
        ADD CONSTRAINT fk_posts_workflow_version_id FOREIGN KEY (workflow_version_id) REFERENCES workflow_versions (id)`);
    // Re-counting sign-offs when memberships change reads a workspace's approved posts.
    // (ix_posts_workspace_id_status_scheduled_at covers it.)

    await q.query(`
      CREATE TABLE approvals (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        post_id uuid NOT NULL,
        version integer NOT NULL,
        stage_index integer NOT NULL,
        approver_user_id uuid NOT NULL,
        decision text NOT NULL,
        comment text,
        via text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_approvals PRIMARY KEY (id),
        CONSTRAINT fk_approvals_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
        CONSTRAINT fk_approvals_approver_user_id FOREIGN KEY (approver_user_id) REFERENCES users (id),
        CONSTRAINT ck_approvals_decision CHECK (decision IN ('approve', 'reject')),
        CONSTRAINT ck_approvals_via CHECK (via IN ('api', 'email')),
        -- One decision per person per version, even when two requests race.
        CONSTRAINT uq_approvals_post_id_version_approver_user_id UNIQUE (post_id, version, approver_user_id)
      )`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigserial NOT NULL,
        workspace_id uuid NOT NULL,
        seq bigint NOT NULL,
        post_id uuid,
        actor_kind text NOT NULL,
        actor_id text,
        action text NOT NULL,
        version integer,
        before jsonb,
        after jsonb,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT pk_audit_events PRIMARY KEY (id),
        CONSTRAINT fk_audit_events_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
        CONSTRAINT uq_audit_events_workspace_id_seq UNIQUE (workspace_id, seq),
        CONSTRAINT ck_audit_events_actor_kind CHECK (actor_kind IN ('user', 'api-key', 'system'))
      )`);
    await q.query(
      `CREATE INDEX ix_audit_events_post_id ON audit_events (post_id, seq) WHERE post_id IS NOT NULL`,
    );

    // seq and the hash chain are set here, whatever the inserting code says.
    await q.query(`
      CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_seq bigint;
        last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('countersign.audit.' || NEW.workspace_id::text, 0));
        SELECT seq, hash INTO last_seq, last_hash
          FROM audit_events WHERE workspace_id = NEW.workspace_id ORDER BY seq DESC LIMIT 1;
        NEW.seq := coalesce(last_seq, 0) + 1;
        NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
        NEW.hash := encode(sha256(convert_to(concat_ws('|',
          NEW.prev_hash, NEW.workspace_id::text, NEW.seq::text, coalesce(NEW.post_id::text, ''),
          NEW.actor_kind, coalesce(NEW.actor_id, ''), NEW.action, coalesce(NEW.version::text, ''),
          coalesce(NEW.before::text, ''), coalesce(NEW.after::text, ''),
          coalesce(NEW.ip, ''), coalesce(NEW.user_agent, ''),
          to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')), 'UTF8')), 'hex');
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_chain()`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP FUNCTION audit_events_chain()`);
    await q.query(`DROP TABLE approvals`);
    await q.query(`
      ALTER TABLE posts
        DROP CONSTRAINT fk_posts_workflow_version_id,
        DROP CONSTRAINT fk_posts_workflow_id,
        DROP COLUMN submitted_at,
        DROP COLUMN workflow_version_id,
        DROP COLUMN workflow_id`);
    await q.query(`DROP TABLE workflow_channels`);
    await q.query(`DROP TABLE workflow_versions`);
    await q.query(`DROP TABLE workflows`);
  }
}
