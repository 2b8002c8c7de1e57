// CPU time used by a process group (the app server and anything it started), from /proc: on a shared machine the
// wall-clock figures of a load run depend on what else runs, the server's CPU per request much less so.
// Linux only; elsewhere the figures are null.
import fs from "node:fs";

const ticksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

/** user + system CPU ms of every live process whose process group is `pgid`, or null without /proc. */
export function processGroupCpuMs(pgid: number): number | null {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return null;
  }
  let ticks = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name (which may hold spaces) start at state: state ppid pgrp … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / ticksPerSecond;
}
