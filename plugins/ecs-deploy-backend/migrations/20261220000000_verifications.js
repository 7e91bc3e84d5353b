// @ts-check

/**
 * Verifications: after a promotion, and after a deployment the portal noticed, the checks of the
 * new revision (alarms, HTTP, metrics), their measurements, the outcome and an owner's decision
 * on a held one. Any replica's runner claims a row, so a verification survives restarts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ecs_deploy_verifications', table => {
    table.comment('Verifications of deployed revisions, shared by every replica');
    table.string('id').primary().notNullable();
    table
      .string('dedupe_key')
      .notNullable()
      .unique({ indexName: 'ecs_deploy_verifications_dedupe_idx' })
      .comment(
        'audit:<id> | deployment:<service>:<deployment id> | reverify:<id>: one verification each',
      );
    table.string('entity_ref').notNullable();
    table.string('environment').notNullable();
    table.string('target_account').nullable();
    table.string('target_region').notNullable();
    table.string('target_cluster').notNullable();
    table.string('target_service').notNullable();
    table.text('task_definition').notNullable();
    table.string('deployment_id').nullable();
    table
      .string('trigger')
      .notNullable()
      .comment('promotion | deployment | reverify');
    table
      .string('audit_id')
      .nullable()
      .comment('The promotion (or re-verify request) audit row');
    table.string('requested_by').notNullable();
    table
      .boolean('auto_rollback')
      .notNullable()
      .comment('Roll the promotion back when the verification fails');
    table
      .string('status')
      .notNullable()
      .comment(
        'running | verified | failed | held | continued | aborted | cancelled | skipped',
      );
    table.text('message').nullable();
    table.text('plan').nullable().comment('JSON: what is checked, and how');
    table
      .text('checks')
      .notNullable()
      .comment('JSON VerificationCheck[] with their measurements');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('rollout_deadline_at', { useTz: true }).notNullable();
    table.timestamp('rolled_out_at', { useTz: true }).nullable();
    table.timestamp('window_ends_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.timestamp('next_check_at', { useTz: true }).nullable();
    table
      .string('rollback')
      .nullable()
      .comment('pending | done | failed: the rollback of a failed verification');
    table.integer('rollback_attempts').notNullable().defaultTo(0);
    table.string('rollback_audit_id').nullable();
    table.text('rollback_message').nullable();
    table.string('resolution').nullable().comment('continue | abort');
    table.string('resolved_by').nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.text('resolution_reason').nullable();
    table.string('claimed_by').nullable();
    table.timestamp('claim_expires_at', { useTz: true }).nullable();
    table.index(
      ['target_service', 'target_cluster', 'created_at'],
      'ecs_deploy_verifications_service_idx',
    );
    table.index(
      ['entity_ref', 'created_at'],
      'ecs_deploy_verifications_entity_idx',
    );
    table.index(['status', 'next_check_at'], 'ecs_deploy_verifications_due_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ecs_deploy_verifications');
};
