// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QChar>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace kw::Bconsole {

// What Bacula 9.6's bconsole prints (docs of the captures:
// tests/fixtures/bacula/README.md), read into values. Everything here is
// untrusted input: a director may be another version, misconfigured or
// hostile, and bconsole may be cut short. Nothing is assumed about order
// or completeness; what cannot be read is named in `problems` ("block 2:
// jobbytes is not a number: 'x'") and left out, never a crash.

// The answer to `command`: what bconsole printed after echoing it (the
// preamble "Connecting to Director …", "1000 OK: …", "Enter a period …"
// and earlier commands left out), without the director's trailing "You
// have messages.". Nothing when the echo is not there (bconsole could not
// connect, or the output is not bconsole's); `error` then says what it
// printed instead (its first lines, cleaned).
std::optional<QByteArray> answerTo(QByteArrayView output, QByteArrayView command,
                                   QString *error = nullptr);

// One job as the director (`.api 2` `.status dir running|terminated`) or
// its catalog (`llist jobs`, `llist jobid=N`) tells of it.
struct Job {
    qint64 jobId = 0;
    QString job;        // the unique Job name ("BackupSpike.2026-11-25_07.44.08_10")
    QString name;       // the Job resource ("BackupSpike")
    QChar type;         // JobType: B R V C c M g D ...
    QChar level;        // F I D f ... ' ' for none
    QChar status;       // JobStatus: R T E f A c ...
    QString statusText; // the director's words ("is waiting on max Client jobs")
    QString client;
    QString fileSet;
    QString storage;     // written to
    QString readStorage; // read from (restores)
    QString pool;
    std::optional<qint64> bytes;
    std::optional<qint64> files;
    qint64 errors = 0;
    qint64 scheduledMs = 0; // 0: not known (or not yet)
    qint64 startedMs = 0;
    qint64 endedMs = 0;
    QString comment;
};

// A running job as its file daemon tells of it (`.api 2` `.status
// client=NAME running`): the live counters the director does not have.
struct ClientJob {
    qint64 jobId = 0;
    QString job;
    qint64 files = 0;
    qint64 bytes = 0;
    qint64 bytesPerSecond = 0;
    qint64 filesExamined = 0;
    std::optional<qint64> expectedFiles; // restores: a known total
    QString currentFile;
    qint64 errors = 0;
};

template<typename T>
struct Parsed {
    QList<T> items;
    QStringList problems;
};

// `.status dir running` and `.status dir terminated` in `.api 2` mode: one
// block of key=value lines per job ("No Jobs running." is none).
Parsed<Job> directorJobs(QByteArrayView answer);
// `.status client=NAME running` in `.api 2` mode.
Parsed<ClientJob> clientJobs(QByteArrayView answer);
// `llist jobs`, `llist jobid=N`: blocks of right-aligned "Key: value" lines.
// Times are the director's local time.
Parsed<Job> catalogJobs(QByteArrayView answer);
// `list joblog jobid=N`: the entries of its one-column table, each the
// log text as Bacula stored it (a job report is one entry of many lines),
// in order, without the trailing newline.
Parsed<QString> jobLog(QByteArrayView answer);
// `.jobs`: the names of the director's Job resources.
Parsed<QString> jobNames(QByteArrayView answer);
// `cancel jobid=N yes`: whether the director took it ("JobId 2, Job … marked
// to be canceled."); its own words otherwise in `why`.
bool cancelAccepted(QByteArrayView answer, qint64 jobId, QString *why);
// `run job=NAME yes`: the JobId the director queued ("Job queued. JobId=7");
// none, and its own words in `why`, when it did not queue one.
std::optional<qint64> runQueued(QByteArrayView answer, QString *why);

} // namespace kw::Bconsole
