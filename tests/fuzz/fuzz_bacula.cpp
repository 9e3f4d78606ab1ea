// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// What bconsole prints is untrusted (another Bacula version, a director
// cut short, a hostile one): every reader of it on arbitrary bytes never
// crashes or hangs, and what it returns is well formed (usable session
// IDs, positive job IDs, counts that are counts, no control characters).

#include "bacula/baculacodes.h"
#include "bacula/bconsoleoutput.h"
#include "fuzzsupport.h"
#include "protocol/sessionid.h"

using namespace kw;

namespace {

void checkText(const QString &text, bool newlinesAllowed) {
    for (QChar c : text)
        KW_FUZZ_CHECK(c.unicode() >= 0x20 || (newlinesAllowed && c == u'\n'),
                      "control character in " + text.toUtf8());
}

void checkJob(const Bconsole::Job &job) {
    KW_FUZZ_CHECK(job.jobId > 0, "job ID " + QByteArray::number(job.jobId));
    KW_FUZZ_CHECK(SessionId::validationError(job.job).isEmpty(), "job name " + job.job.toUtf8());
    KW_FUZZ_CHECK(!job.bytes || *job.bytes >= 0, "bytes");
    KW_FUZZ_CHECK(!job.files || *job.files >= 0, "files");
    KW_FUZZ_CHECK(job.errors >= 0, "errors");
    for (const QString *text : {&job.name, &job.statusText, &job.client, &job.fileSet, &job.storage,
                                &job.readStorage, &job.pool, &job.comment})
        checkText(*text, false);
    BaculaCodes::stateOf(job.status, job.errors, true);
    BaculaCodes::typeWords(job.type);
    BaculaCodes::levelWords(job.level);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    const fuzz::Steered in = fuzz::steer(bytes, size);
    QByteArrayView text = in.data;
    // Sometimes as a whole session, preamble and echo included.
    QByteArray answered;
    if (in.config & 1) {
        QString error;
        if (const auto answer = Bconsole::answerTo(text, ".status dir running", &error))
            answered = *answer;
        else
            checkText(error, false);
        text = answered;
    }
    for (const Bconsole::Job &job : Bconsole::directorJobs(text).items)
        checkJob(job);
    for (const Bconsole::Job &job : Bconsole::catalogJobs(text).items)
        checkJob(job);
    for (const Bconsole::ClientJob &job : Bconsole::clientJobs(text).items) {
        KW_FUZZ_CHECK(job.jobId > 0 && SessionId::validationError(job.job).isEmpty(), "client job");
        KW_FUZZ_CHECK(job.bytes >= 0 && job.files >= 0 && job.bytesPerSecond >= 0, "counts");
        checkText(job.currentFile, false);
    }
    for (const QString &entry : Bconsole::jobLog(text).items)
        checkText(entry, true);
    for (const QString &name : Bconsole::jobNames(text).items)
        checkText(name, false);
    QString why;
    Bconsole::cancelAccepted(text, 2, &why);
    Bconsole::runQueued(text, &why);
    checkText(why, false);
    return 0;
}
