/**
 * The load of bench-hopper.js, in a process of its own: told a request and how many to send
 * (with how many at once), it answers with their latencies and the first answer.
 */
process.on('message', async ({ url, token, body, requests, concurrency }) => {
  const latencies = [];
  let errors = 0;
  let first = null;
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < requests) {
      const start = process.hrtime.bigint();
      const res = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
      const json = await res.json();
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (res.status !== 200) errors++;
      first ??= { status: res.status, body: json };
    }
  }));
  process.send({ latencies, errors, first });
});
