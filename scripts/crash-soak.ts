/**
 * The long crash run: the real server (src/main.ts in a child process) is kill -9'd again and
 * again while the real client writes with retries and Idempotency-Keys, and restarted on the
 * same SQLite file. Prints the figures: kills, writes, lost, duplicated, integrity. Exits 1 when a
 * write was lost or duplicated or the file is not sound. The small variant runs in npm test
 * (packages/server/test/crash.test.ts).
 *
 *   node --conditions=source --import tsx scripts/crash-soak.ts                 40 kills, 8 writers
 *   node --conditions=source --import tsx scripts/crash-soak.ts --kills 100 --writers 16
 */
import { runCrashCampaign } from '../packages/server/test/support/crash-campaign.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const kills = option('kills', 40);
const writers = option('writers', 8);
const figures = await runCrashCampaign({
  kills,
  writers,
  uptimeMs: [300, 2000],
  log: (line) => console.log(line),
});

console.log('');
console.log(`kills           ${figures.kills}`);
console.log(`writes          ${figures.writes} (${figures.acknowledged} acknowledged, ${figures.unacknowledged} never answered)`);
console.log(`replayed        ${figures.replayed} (committed before a kill, answered from the idempotency record)`);
console.log(`lost            ${figures.lost}`);
console.log(`duplicated      ${figures.duplicated}`);
console.log(`wrong id        ${figures.mismatched}`);
console.log(`integrity       ${figures.integrity}`);
console.log(`duration        ${(figures.durationMs / 1000).toFixed(1)} s`);
const ok = figures.lost === 0 && figures.duplicated === 0 && figures.mismatched === 0 && figures.unacknowledged === 0 && figures.integrity === 'ok';
process.exit(ok ? 0 : 1);
