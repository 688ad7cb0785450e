/**
 * scaleout: the audience scenario's fan-out with one server process, then with three on the same Postgres
 * and Redis behind nginx (harness/proxy.ts: sticky `hash` on the client's key, WebSocket upgrade), in the
 * same run on the same backend: spectators and judges go through the proxy, so each mark is taken by one
 * process and pushed through the Redis streams adapter to the spectators on all three. Every server and
 * nginx share CPU 1 (the same CPU as the one process had), the generator CPU 0: the figure is what the
 * proxy and the adapter cost, not what more cores would give. `ratio` = p99 three / p99 one (target ≤ 1.5).
 */
import { loadavg } from 'node:os';
import { startAudience } from '../harness/audience';
import { startProxy } from '../harness/proxy';
import { type BenchReport, percentiles, type ScenarioOptions } from '../harness/report';
import { type BenchServer, createBackend, freePort, pinGenerator, spawnServer } from '../harness/server';
import { openBenchVenue } from '../harness/venue';
import { verifyRun } from '../harness/verify';
import { alive, type FanOut, GENERATOR_CPU, ourFanOut, SERVER_CPU, SERVER_ENV } from './audience';

export async function run(options: ScenarioOptions): Promise<BenchReport> {
  const loadAtStart = loadavg()[0] ?? 0;
  const pinned = pinGenerator();
  const cpu = pinned ? SERVER_CPU : null;
  const seconds = options.smoke ? Math.min(options.seconds, 3) : options.seconds;
  const audience = await startAudience(pinned ? GENERATOR_CPU : null);
  const backend = await createBackend();
  const servers: BenchServer[] = [];
  const competitionIds: string[] = [];
  const legs: { one?: FanOut; three?: FanOut } = {};
  let restarts = 0;
  try {
    // One process, spectators and judges straight to it.
    servers.push(await spawnServer(backend, { cpu, env: SERVER_ENV }));
    const first = servers[0] as BenchServer;
    const single = await openBenchVenue(first.url, backend, { rounds: 1, competitors: 12 });
    competitionIds.push(single.competitionId);
    legs.one = await ourFanOut(audience, backend, single, {
      origin: first.url,
      markUrl: first.url,
      servers: [first],
      count: options.spectators,
      seconds,
    });
    await single.close();

    // Two more on the same backend, and nginx in front of the three.
    for (let i = 0; i < 2; i++)
      servers.push(await spawnServer(backend, { cpu, env: { ...SERVER_ENV, TRUST_PROXY: '127.0.0.1' } }));
    const proxy = await startProxy({
      port: await freePort(),
      upstreams: servers.map((s) => new URL(s.url).host),
      cpu,
    });
    try {
      const venue = await openBenchVenue(proxy.origin, backend, { rounds: 1, competitors: 12 });
      competitionIds.push(venue.competitionId);
      legs.three = await ourFanOut(audience, backend, venue, {
        origin: proxy.origin,
        markUrl: proxy.origin,
        servers,
        count: options.spectators,
        seconds,
      });
      await venue.close();
    } finally {
      await proxy.stop();
    }
    restarts = servers.filter((s) => !alive(s.pid)).length;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  try {
    const { one, three } = legs;
    if (!one || !three) throw new Error('a leg did not run');
    const verdict = await verifyRun(backend, competitionIds, {
      acknowledged: [...one.acknowledged, ...three.acknowledged],
      refused: [...one.refused, ...three.refused],
    });
    const oneMs = percentiles(one.lastSpectatorMs);
    const threeMs = percentiles(three.lastSpectatorMs);
    return {
      scenario: 'scaleout',
      marksPerSecond: three.marksPerSecond,
      bareInsertPerSecond: null,
      ratio: oneMs && threeMs ? threeMs.p99 / oneMs.p99 : null,
      ackMs: percentiles(three.ackMs),
      lastSpectatorMs: threeMs,
      spectators: options.spectators,
      bareBroadcastMs: null,
      rssPerSpectatorKB: three.rssPerSpectatorKB,
      lost: verdict.lost,
      duplicates: verdict.duplicates,
      generatorCpu: three.generatorCpu,
      liveViewMatches: verdict.liveViewMatches,
      loadAverage: [loadAtStart, loadavg()[0] ?? 0],
      extra: {
        oneProcessLastSpectatorP50: oneMs?.p50 ?? null,
        oneProcessLastSpectatorP99: oneMs?.p99 ?? null,
        oneProcessAckP99: percentiles(one.ackMs)?.p99 ?? null,
        oneProcessRssPerSpectatorKB: Math.round(one.rssPerSpectatorKB * 10) / 10,
        reconnectSecondsOne: Math.round(one.reconnectSeconds * 100) / 100,
        reconnectSecondsThree: Math.round(three.reconnectSeconds * 100) / 100,
        reconnectBehind: one.stormBehind + three.stormBehind,
        reconnectErrors: one.stormErrors + three.stormErrors,
        connectErrors: one.connectErrors + three.connectErrors,
        marksNotSeenByAll: one.missed + three.missed,
        serverCpuOne: Math.round(one.serverCpu),
        serverCpuThree: Math.round(three.serverCpu),
        restarts,
        auditChainOk: verdict.auditChainOk,
        pinned,
      },
      notes: [
        'ratio = p99 ack → last spectator, three processes behind nginx / one process direct (target ≤ 1.5)',
        'the three processes and nginx share the one CPU the single process had (taskset); the generator has the other',
        ...verdict.differences,
      ],
    };
  } finally {
    await audience.stop();
    await backend.close();
  }
}
