/**
 * The load of bench-hopper.js, in a process of its own: told a request and how many to send, it
 * answers with their latencies and the first answer. Closed loop (`concurrency` at once, each
 * sent as the last one returns: the server's saturation), or open loop (`rate` a second, Poisson
 * arrivals, whatever the answers: campaigns refilling their hoppers on their own clocks).
 */
process.on('message', async ({ url, token, body, requests, concurrency, rate }) => {
  const latencies = [];
  let errors = 0;
  let first = null;
  const once = async () => {
    const start = process.hrtime.bigint();
    const res = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
    const json = await res.json();
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (res.status !== 200) errors++;
    first ??= { status: res.status, body: json };
  };
  if (rate) {
    const sent = [];
    for (let i = 0; i < requests; i++) {
      sent.push(once());
      await new Promise((resolve) => setTimeout(resolve, (-Math.log(1 - Math.random()) * 1000) / rate));
    }
    await Promise.all(sent);
  } else {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < requests) await once();
    }));
  }
  process.send({ latencies, errors, first });
});
