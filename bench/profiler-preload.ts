// Loaded into the app by `npm run bench -- --profile` (node --import): the bench signals SIGUSR2 to
// start the V8 CPU profiler and again to stop it, and the profile is written to the file named in
// `${BENCH_PROFILE_DIR}/next` — one profile per scenario, of the app alone, from the same process.
// Bench code only: the app knows nothing of it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let busy: Promise<void> = session.post('Profiler.enable').then(() => session.post('Profiler.setSamplingInterval', { interval: 250 }));
  process.on('SIGUSR2', () => {
    busy = busy.then(async () => {
      if (!running) {
        await session.post('Profiler.start');
        running = true;
        return;
      }
      const { profile } = await session.post('Profiler.stop');
      running = false;
      writeFileSync(join(dir, readFileSync(join(dir, 'next'), 'utf8').trim()), JSON.stringify(profile));
      writeFileSync(join(dir, 'written'), readFileSync(join(dir, 'next'), 'utf8'));
    });
  });
}
