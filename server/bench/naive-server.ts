/**
 * The naive peer of `pnpm bench --scenario naive` (issue 14): what a quick build of live scoring would do,
 * none of our code paths. Fastify takes a mark, inserts it (durably, one statement), recomputes the round's
 * standings with one SQL query and sends the whole board to every connected spectator over Socket.IO, then
 * answers. Same route and body as ours, so the same load generator drives both; the bearer token is the judge.
 * Started by the scenario in a child process: DATABASE_URL, PORT, HOST.
 */
import Fastify from 'fastify';
import postgres from 'postgres';
import { Server } from 'socket.io';

const sql = postgres(process.env.DATABASE_URL ?? '', { max: 8, onnotice: () => {} });
await sql`create table if not exists naive_marks (
  id uuid primary key, seq bigserial, round text not null, competitor text not null, judge text not null,
  value numeric not null)`;
await sql`create index if not exists naive_marks_round on naive_marks (round, competitor, judge, seq)`;

const app = Fastify();
const io = new Server(app.server, { transports: ['websocket'], perMessageDeflate: false });
io.on('connection', (socket) => {
  socket.on('round:join', (_round: unknown, ack?: (answer: unknown) => void) => ack?.({ ok: true }));
});

app.get('/api/health', async () => ({ ok: true }));
app.post<{
  Params: { rid: string };
  Body: { id: string; workstation: string; item: string; value: string };
}>('/api/competitions/:cid/rounds/:rid/marks', async (request, reply) => {
  const judge = (request.headers.authorization ?? '').replace(/^Bearer /, '');
  const { id, workstation, value } = request.body;
  const round = request.params.rid;
  await sql`insert into naive_marks (id, round, competitor, judge, value)
    values (${id}, ${round}, ${workstation}, ${judge}, ${value}) on conflict (id) do nothing`;
  const board = await sql`
    select competitor, round(avg(value), 2)::text as score, count(*)::int as marks,
      rank() over (order by avg(value) desc)::int as rank
    from (select distinct on (competitor, judge) competitor, value from naive_marks
          where round = ${round} order by competitor, judge, seq desc) latest
    group by competitor order by rank, competitor`;
  io.emit('board', { round, board });
  return reply.code(201).send({ mark: { id } });
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
process.on('SIGTERM', async () => {
  io.close();
  await app.close();
  await sql.end({ timeout: 5 });
  process.exit(0);
});
