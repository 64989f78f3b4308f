// A stand-in child for child-pool.test.ts: speaks the pool's protocol without Typst, so the
// pool's own behaviour (queue, recycling, crash, timeout, close) is tested in milliseconds.
const hold = [];
process.on('disconnect', () => process.exit(0));
process.on('message', async ({ id, input }) => {
  const reply = (r) => process.send({ id, rss: process.memoryUsage.rss(), ...r });
  if (input.crash) process.exit(3);
  if (input.sleepMs) await new Promise((r) => setTimeout(r, input.sleepMs));
  if (input.growMb) hold.push(Buffer.alloc(input.growMb * 1024 * 1024, 1));
  if (input.invalid) return reply({ ok: false, error: { kind: 'invalid', message: '无法打印', code: 'missing_glyph', problems: [{ path: 'a.b', message: 'U+E000' }] } });
  if (input.fail) return reply({ ok: false, error: { kind: 'error', name: 'TypeError', message: input.fail } });
  reply({ ok: true, value: { pid: process.pid, echo: input.echo, at: Date.now() } });
});
