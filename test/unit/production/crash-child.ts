/**
 * Child process of crash.test.ts: runs a production station and kills itself with SIGKILL
 * (no clean-up, no flush: a crash or power cut) right after the Nth serial is reserved and
 * before that board is logged. Usage: node --import tsx/esm crash-child.ts RECIPE N
 */
import { loadRecipe } from '../../../src/main/production/recipe';
import { runProduction } from '../../../src/main/production/runner';
import { buildStations } from '../../../src/main/production/station-specs';

const [recipePath, killAt] = process.argv.slice(2);
const recipe = await loadRecipe(recipePath);
let reservations = 0;
await runProduction({
  recipe,
  stations: await buildStations({ stations: ['virtual:stlinkv3:stm8s103f3'], part: recipe.part.name }),
  count: 10,
  onEvent: (e) => {
    if (e.reservation && ++reservations === Number(killAt)) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
