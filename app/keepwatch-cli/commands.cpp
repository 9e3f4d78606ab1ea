// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "commands.h"

#include "cli.h"

namespace kw::cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> table{
        {"run", "[OPTIONS] [--] COMMAND [ARGS...]",
         "Run COMMAND as a new session. Its output is passed through unchanged, its exit status "
         "is returned (128+N when killed by signal N). On cancel the command gets its tool's stop "
         "signal, then SIGTERM and SIGKILL, each after --cancel-grace seconds. Inside a systemd "
         "unit the session records the unit and its invocation ID.",
         runCommand},
        {"list", "[--json] [--bacula CONF]...",
         "Every session: of the own spool, of the spools added in the Settings dialog, the "
         "backup tools running without keepwatch-cli, and the jobs of the Bacula directors of "
         "the settings and of --bacula (oldest first).",
         listCommand},
#ifdef KEEPWATCH_WITH_SYSTEMD
        {"schedules", "[--json] [--grace DURATION]",
         "The backup timers of systemd (the system's and your own): schedule, last success, last "
         "outcome, next run. Exits 3 when a backup is overdue: no successful run for longer "
         "than its period, the timer's random delay and the grace.",
         schedulesCommand},
#endif
        {"show", "ID [--source SOURCE] [--json] [--bacula CONF]...",
         "One session with its whole log.", showCommand},
        {"log", "[--session ID] [--level LEVEL] MESSAGE...",
         "Append a log line to a session (inside `run`, KEEPWATCH_SESSION_ID names it).",
         logCommand},
        {"cancel",
         "ID [--source SOURCE] [--wait SECONDS] [--bacula CONF]... [--broker URL ... [--expire "
         "SECONDS]]",
         "Ask the session's wrapper to stop its command; a systemd unit's run is stopped "
         "through its manager (SIGINT, then the unit is stopped after 10 s); a Bacula job is "
         "cancelled by its director (cancel jobid=N yes). --wait follows the "
         "session until it has ended. Another host's session (remote:HOST) is cancelled by its "
         "agent, asked through the broker (the agent must allow it, the broker must let this "
         "user write commands); the request is dropped unanswered after --expire seconds "
         "(default 30) and never runs later.",
         cancelCommand},
        {"export", "--format html|csv|json|pdf [OPTIONS]",
         "A report of the sessions selected (default: all) on stdout or in FILE, from the history "
         "(brought up to date with the spool first), or from the spools alone with --no-history "
         "or when the history is unusable. A session is selected when it ran during [from, to). "
         "Exit status: 0, or 3 when a selected session failed or was interrupted (a cron digest: "
         "export --since 24h --format html -o FILE).",
         exportCommand},
        {"search",
         "QUERY... [--since DURATION | --from T --to T] [--host H] [--tool T] [--state S] "
         "[--limit N] [--json] [--database PATH]",
         "The log lines of the history that match QUERY, oldest first, with their sessions and "
         "hosts (the history is brought up to date with the spool first). Every word must "
         "match; \"a phrase\" matches its words in order; word* matches a prefix; a path "
         "matches as the phrase of its parts. The match is marked (bold on a terminal, «» "
         "elsewhere). Exit status: 0, 1 when nothing matched (as grep), 2 for a query that "
         "cannot be searched for.",
         searchCommand},
        {"reindex", "[--database PATH]",
         "Rebuild the history database from the spool and the other hosts' mirrors, into a new "
         "file that replaces the old one only when complete.",
         reindexCommand},
        {"retention", "[--max-age DURATION] [--max-sessions N] [--dry-run] [--database PATH]",
         "Forget finished sessions older than DURATION (90d, 12w) or beyond the newest N, in the "
         "history and the spool. Running sessions and ones not yet read into the history are "
         "never removed.",
         retentionCommand},
#ifndef Q_OS_WIN
        {"system-spool", "init | grant USER",
         "As root: set up the system spool, where root's `run` records its sessions for members "
         "of group keepwatch to watch (init: the group and the directories; idempotent, and it "
         "says what it did), or give a service USER a directory there (grant).",
         systemSpoolCommand},
#endif
        {"agent",
         "--broker URL [--host NAME] [--username USER --password-file FILE] [--state-dir DIR] "
         "[--allow-remote-cancel]",
         "Publish this host's sessions (the own spool; the system spool too as root) through an "
         "MQTT broker, byte for byte, until SIGTERM or SIGINT: what the broker acknowledged is "
         "never sent twice after a restart and nothing is skipped; replays on request; a "
         "retained online/offline status. With --allow-remote-cancel, desktops the broker lets "
         "write commands may cancel this host's wrapped sessions, with the checks of a local "
         "cancel.",
         agentCommand},
        {"collect", "--broker URL [--username USER --password-file FILE] [--state-dir DIR]",
         "Mirror every host's sessions from an MQTT broker into STATE/remote/HOST/, byte for "
         "byte, until SIGTERM or SIGINT; missing bytes are asked for again from the agents.",
         collectCommand},
    };
    return table;
}

void printUsage() {
    QByteArray text = "Usage: keepwatch-cli COMMAND [OPTIONS]\n"
                      "\n"
                      "Keepwatch's command-line tool: runs commands as monitored sessions and\n"
                      "lists them, without a display.\n"
                      "\n"
                      "Commands:\n";
    for (const Command &c : commands())
        text += "  " + QByteArray(c.name) + ' ' + c.synopsis + '\n';
    text += "\n"
            "Run `keepwatch-cli COMMAND --help` for what a command does and its options.\n"
            "\n"
            "Environment:\n"
            "  KEEPWATCH_SPOOL          spool directory (default $XDG_STATE_HOME/keepwatch/spool)\n"
            "  KEEPWATCH_HISTORY        history database (default\n"
            "                           $XDG_STATE_HOME/keepwatch/history.db)\n"
            "  KEEPWATCH_SYSTEM_SPOOL   system spool (default /var/lib/keepwatch/spool)\n"
            "  KEEPWATCH_SPOOL_MAX_BYTES  cap on one session's spool file (default 512 MiB;\n"
            "                           0: none); past it the output is not recorded\n"
            "  KEEPWATCH_SESSION_ID     set by `run` for the command it starts\n"
            "  KEEPWATCH_DISCOVERY=0    leave out backup tools found running in /proc\n"
            "  KEEPWATCH_STALL_TIMEOUT  seconds without progress before a running session\n"
            "                           is shown as stalled (default 300, 0 turns it off)\n"
            "\n"
            "The spools added in the window's Settings dialog\n"
            "(~/.config/Keepwatch/keepwatch.conf) are read by every command that lists sessions.\n";
    out(text);
}

} // namespace kw::cli
