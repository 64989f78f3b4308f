/**
 * The floor of the save benchmark: the smallest route the same framework can offer that
 * writes the same payload to one row of the same database — Fastify with the server's body
 * limit, the JSON body parsed and the data re-serialised (as the real save does), one
 * UPSERT through Kysely on the connection settings of src/server/db/connect.ts, into a text
 * column stored as applications.data is (lz4 on PostgreSQL). No session,
 * CSRF, validation, rules, audit or transaction. Env: PORT, DATA_DIR or DATABASE_URL.
 */
import Fastify from 'fastify';
import { sql } from 'kysely';
import { BODY_LIMIT_BYTES } from '../src/server/app';
import { connect } from '../src/server/db/connect';

const { db, dialect, close } = connect({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR });
await sql`create table if not exists bench_floor (id text primary key, version integer not null, data text not null)`.execute(db);
// the same column storage as applications.data (migration 20261129T010000: lz4 on PostgreSQL), like for like
if (dialect === 'postgres') await sql`alter table bench_floor alter column data set compression lz4`.execute(db);
const app = Fastify({ bodyLimit: BODY_LIMIT_BYTES });
app.get('/floor/health', async () => ({ ok: true }));
app.put<{ Params: { row: string }; Body: { version: number; data: unknown } }>('/floor/:row', async (request) => {
  const r = await sql<{ version: number }>`insert into bench_floor (id, version, data) values (${request.params.row}, 1, ${JSON.stringify(request.body.data)})
    on conflict (id) do update set data = excluded.data, version = bench_floor.version + 1 returning version`.execute(db);
  return { version: r.rows[0].version };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  await close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
