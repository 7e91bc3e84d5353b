// @ts-check

/**
 * Adoptions of existing ECS services: one row per service and environment, inserted before
 * anything is written to AWS (the primary key lets exactly one of two adopters in), with what
 * the adoption changed so that it can be undone.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ecs_deploy_adoptions', table => {
    table.comment(
      'ECS services adopted by a catalog entity: the tag and image parameters the adoption wrote',
    );
    table.string('environment').notNullable();
    table.string('service_name').notNullable();
    table.string('cluster').notNullable();
    table.string('service_arn', 1024).notNullable();
    table.string('entity_ref').notNullable();
    table.string('owner').notNullable();
    table.string('actor').notNullable();
    table
      .string('previous_entity_ref_tag')
      .nullable()
      .comment(
        'The backstage:entity-ref value before the adoption (restored on release)',
      );
    table
      .text('created_parameters')
      .notNullable()
      .comment('JSON list of the image parameters the adoption created');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['environment', 'service_name']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ecs_deploy_adoptions');
};
