/**
 * Started through npm (`npx swim-studio sim serve … &`, `npm start`), the process a user's
 * shell knows — `$!`, `%1` — is npm's, not ours: npm runs `sh -c swim-studio …`, which runs
 * node. `kill %1` then ends npm and its shell but not node, and a server kept running,
 * orphaned, still holding its socket or port. So, when npm started us, we watch it (and the
 * shell between) and, once one of them is gone, stop as if Ctrl+C had been pressed: a server
 * closes and saves its state, a job stops between blocks. Run directly (node, an installed
 * `swim-studio`, `nohup … &`), nothing is watched: the user's PID is ours, and a server may
 * outlive the shell that started it.
 */
import { readFileSync } from 'node:fs';
import { processAlive } from '../process-alive';

const CHECK_EVERY_MS = 1000;
/** npm exec / npx set npm_lifecycle_event to "npx"; `npm start` to "start". */
const NPM_EVENTS = new Set(['npx', 'start']);

function parentOf(pid: number): number | null {
  try {
    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  } catch {
    return null; // not Linux, or already gone
  }
}

function looksLikeNpm(pid: number): boolean {
  try {
    return /\bnpm\b|npm-cli|npx-cli/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
  } catch {
    return false;
  }
}

/** Our parent, and on Linux every ancestor up to the npm process (a few levels at most). */
function wrapperPids(): number[] {
  const pids = [process.ppid];
  for (let pid: number | null = process.ppid; pid && !looksLikeNpm(pid) && pids.length < 4; ) {
    pid = parentOf(pid);
    if (pid) pids.push(pid);
  }
  // No npm found above us (a /proc-less system): following the parent is still right.
  return looksLikeNpm(pids[pids.length - 1]) ? pids : [process.ppid];
}


/**
 * When npm started this process: checks once a second that npm and the shell it ran are
 * still there, and sends ourselves SIGINT when not. Returns the function that stops
 * watching, or null when there is nothing to watch.
 */
export function stopWhenNpmWrapperEnds(env: NodeJS.ProcessEnv = process.env, note: (line: string) => void = (l) => process.stderr.write(l + '\n')): (() => void) | null {
  if (!NPM_EVENTS.has(env.npm_lifecycle_event ?? '')) return null;
  const firstParent = process.ppid;
  const watched = wrapperPids();
  const timer = setInterval(() => {
    const gone = process.ppid !== firstParent ? firstParent : watched.find((pid) => !processAlive(pid));
    if (gone === undefined) return;
    clearInterval(timer);
    note(`swim-studio: npm (process ${watched[watched.length - 1]}), which started this command, has ended; stopping.`);
    process.kill(process.pid, 'SIGINT');
  }, CHECK_EVERY_MS);
  timer.unref(); // never the reason the process stays up
  return () => clearInterval(timer);
}
